//! Admin roles: each includes the rights of the ones below it.

/// viewer reads; admin also operates (pods, receipts, refunds); super_admin also manages admin
/// users and the payment mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Viewer,
    Admin,
    SuperAdmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Admin => "admin",
            Role::SuperAdmin => "super_admin",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        [Role::Viewer, Role::Admin, Role::SuperAdmin]
            .into_iter()
            .find(|role| role.as_str() == name.trim())
    }

    /// Whether this role may do what `required` may.
    pub fn allows(self, required: Role) -> bool {
        self >= required
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::SuperAdmin.allows(Role::Admin));
        assert!(Role::Admin.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Admin));
        assert!(!Role::Admin.allows(Role::SuperAdmin));
        assert_eq!(Role::parse("super_admin"), Some(Role::SuperAdmin));
        assert_eq!(Role::parse("root"), None);
    }
}

//! The README's configuration table is the truth: every variable it lists is honoured on its
//! own (issue 13), checked with `gpubroker config` in a clean environment.

use std::process::Command;

use crate::helpers::TempDir;

/// One row: the setting, its variables, an example value and the companions it needs.
struct Row {
    setting: String,
    variables: Vec<String>,
    example: String,
    companions: Vec<(String, String)>,
}

/// The backticked texts of a table cell.
fn quoted(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn table() -> Vec<Row> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme
        .find("| setting | environment | default | example | notes |")
        .expect("the configuration table");
    readme[start..]
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let example = quoted(cells[4]);
            Row {
                setting: quoted(cells[1]).remove(0),
                variables: quoted(cells[2]),
                example: example[0].clone(),
                companions: example[1..]
                    .iter()
                    .map(|pair| {
                        let (name, value) = pair.split_once('=').expect("NAME=value");
                        (name.to_owned(), value.to_owned())
                    })
                    .collect(),
            }
        })
        .collect()
}

fn config(dir: &TempDir, env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gpubroker"));
    command
        .arg("config")
        .current_dir(&dir.path)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("gpubroker runs")
}

#[test]
fn every_documented_variable_is_honoured_on_its_own() {
    let dir = TempDir::new();
    let baseline = config(&dir, &[]);
    assert!(baseline.status.success(), "{baseline:?}");
    let rows = table();
    assert!(rows.len() > 90, "the whole table: {} rows", rows.len());
    let mut checked = 0;
    for row in &rows {
        let derived = format!(
            "GPUBROKER__{}",
            row.setting.to_ascii_uppercase().replace('.', "__")
        );
        assert_eq!(row.variables[0], derived, "{}", row.setting);
        let companions: Vec<(&str, &str)> = row
            .companions
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let with_companions = config(&dir, &companions);
        for variable in &row.variables {
            let mut env = companions.clone();
            env.push((variable, &row.example));
            let output = config(&dir, &env);
            assert!(
                output.status.success(),
                "{variable}={} alone is refused: {}",
                row.example,
                String::from_utf8_lossy(&output.stderr)
            );
            assert_ne!(
                output.stdout, with_companions.stdout,
                "{variable}={} changed nothing",
                row.example
            );
            checked += 1;
        }
    }
    assert!(checked > rows.len(), "aliases too: {checked}");
}

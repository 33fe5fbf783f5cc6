//! Province codes of Ecuadorian identity numbers (first two digits), as published by the registry.

/// The province for a two-digit code, or `None` for a code no document uses.
pub fn province_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "01" => "Azuay",
        "02" => "Bolívar",
        "03" => "Cañar",
        "04" => "Carchi",
        "05" => "Cotopaxi",
        "06" => "Chimborazo",
        "07" => "El Oro",
        "08" => "Esmeraldas",
        "09" => "Guayas",
        "10" => "Imbabura",
        "11" => "Loja",
        "12" => "Los Ríos",
        "13" => "Manabí",
        "14" => "Morona Santiago",
        "15" => "Napo",
        "16" => "Pastaza",
        "17" => "Pichincha",
        "18" => "Tungurahua",
        "19" => "Zamora Chinchipe",
        "20" => "Galápagos",
        "21" => "Sucumbíos",
        "22" => "Orellana",
        "23" => "Santo Domingo de los Tsáchilas",
        "24" => "Santa Elena",
        "30" => "Ecuatorianos en el exterior",
        "50" => "Sin documentar",
        _ => return None,
    })
}

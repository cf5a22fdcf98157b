//! Temporary naive inflector; replaced by the ActiveSupport port.
#[derive(Clone, Debug, Default)]
pub struct Inflector;
#[derive(Debug, Clone, serde::Serialize)]
pub struct InflectionWarning {
    pub line: u32,
    pub message: String,
}
impl Inflector {
    pub fn pluralize(&self, w: &str) -> String {
        format!("{w}s")
    }
    pub fn singularize(&self, w: &str) -> String {
        w.strip_suffix('s').unwrap_or(w).to_string()
    }
    pub fn camelize(&self, t: &str) -> String {
        t.split('/')
            .map(|seg| {
                seg.split('_')
                    .map(|p| {
                        let mut c = p.chars();
                        c.next()
                            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                            .unwrap_or_default()
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("::")
    }
    pub fn underscore(&self, w: &str) -> String {
        let mut out = String::new();
        for (i, c) in w.replace("::", "/").chars().enumerate() {
            if c.is_uppercase() && i > 0 && !out.ends_with('/') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        }
        out
    }
    pub fn foreign_key(&self, c: &str) -> String {
        format!("{}_id", self.underscore(demodulize(c)))
    }
    pub fn apply_initializer(&mut self, _s: &str) -> Vec<InflectionWarning> {
        Vec::new()
    }
}
pub fn demodulize(s: &str) -> &str {
    s.rsplit("::").next().unwrap_or(s)
}
pub fn deconstantize(s: &str) -> &str {
    s.rfind("::").map_or("", |i| &s[..i])
}

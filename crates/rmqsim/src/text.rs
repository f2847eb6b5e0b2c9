//! Text templates shared by the app and the code lab (two wasm modules that
//! cannot link each other): numbered holes `{0}`, `{1}` … filled in order.

/// Replaces each `{i}` in `template` with `args[i]`; holes without an
/// argument are left as they are, so a mistake shows instead of vanishing.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let hole = after.find('}').and_then(|close| Some((close, after[..close].parse::<usize>().ok()?)));
        match hole.and_then(|(close, i)| Some((close, *args.get(i)?))) {
            Some((close, arg)) => {
                out.push_str(arg);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

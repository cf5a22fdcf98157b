fn main() {
    let path = std::env::args().nth(1).expect("path");
    let src = std::fs::read_to_string(path).unwrap();
    let tree = fullscan::ruby::parse(&src).unwrap();
    println!("{}", tree.root_node().to_sexp());
}

fn main() {
    let path = std::env::args().nth(1).expect("path");
    let src = fullscan::project::text_of(std::fs::read(path).unwrap());
    let tree = fullscan::ruby::parse(&src).unwrap();
    println!("{}", tree.root_node().to_sexp());
}

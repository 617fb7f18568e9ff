fn main() -> std::process::ExitCode {
    mcplint::cli::main()
}

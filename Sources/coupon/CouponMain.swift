import CouponCLI

@main
enum CouponMain {
    static func main() async {
        await CouponCommand.runAsMain()
    }
}

import CouponCLI

@main
enum CouponMain {
    static func main() async {
        ProcessTuning.apply()
        await CouponCommand.runAsMain()
    }
}

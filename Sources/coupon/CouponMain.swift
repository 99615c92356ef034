import CProcessTuning
import CommandLineEntry
import CouponCLI

@main
enum CouponMain {
    static func main() async {
        couponmark_tune_malloc_for_images()
        await CouponCommand.runAsMain()
    }
}

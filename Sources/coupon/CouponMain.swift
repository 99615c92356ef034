import CProcessTuning
import CommandLineEntry
import CouponCLI

@main
enum CouponMain {
    static func main() async {
        CouponCommand.requireImageKernelProcessor(couponmark_cpu_runs_image_kernels() != 0)
        couponmark_tune_malloc_for_images()
        await CouponCommand.runAsMain()
    }
}

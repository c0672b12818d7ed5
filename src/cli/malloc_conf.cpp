// The ctip command's allocator settings, read by jemalloc before its first allocation: jemalloc
// documents a global `malloc_conf` in the program as a source of its options (jemalloc(3),
// "TUNING"), read before the MALLOC_CONF environment variable, which still overrides it.
//
// thp:always asks the kernel for transparent huge pages (madvise(MADV_HUGEPAGE), which Debian's
// kernels honour in their default "madvise" mode) for every region jemalloc maps, and
// metadata_thp:always for its own bookkeeping. `ctip ads analyze` of a million ads touches some
// 1.1 GB: in 4 KiB pages that was 325,000 page faults, which cost this machine (a 2-core VM)
// about 12 us each. With huge pages: some 11,000 faults, and the run 12.7 s -> 10.1 s
// (src/online/README.md, "third session"). Small runs were not slower (30 runs of 100 ads: 6.2 s
// with glibc's allocator, 5.0 s with this).
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's interface.
const char* malloc_conf = "thp:always,metadata_thp:always";
}

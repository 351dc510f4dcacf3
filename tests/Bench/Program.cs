using TfMnist.Bench;

// bench [step|profile|alloc|kernels|gemm|schedule|all] [--data-dir DIR] [--samples N] [--rounds N] [--numpy-train]
//   step      median training step / test-set pass, with and without the original's summaries
//   profile   where a step's time goes, per op type (traced runs)
//   elementwise  the test pass's elementwise ops alone at its sizes, beside a two-core copy
//   overhead  bare step and test pass: session (parallel, in order) vs kernels called directly, per-op medians
//   alloc     managed bytes allocated per steady-state training step
//   summaries the summary ops of a training step / test-set pass alone, each histogram size, PNG bytes
//   summaries-in-pass  what each summary adds to a training step and a test-set pass inside the network (mins of alternating runs)
//   buckets   histogram bucket counting alone, ns per value (one thread)
//   sparse    the sparse-left GEMM on the real test images, single rows vs row pairs (--threads N)
//   gemm      our GEMM on the network's shapes, then the TorchSharp and NumPy peers' GEMM
//             (--filter TEXT: shapes whose label contains TEXT; --threads N; --no-peers; --kernel Blocked|SmallN|SmallK
//             forces a kernel wherever it can compute the shape; --isa Scalar|Vector128|Vector256|Vector512 forces a tier;
//             --rounds N alternates ours and the peers N times and prints the median of each round's ratio)
//   schedule  the Trainer's full default schedule vs the peers, alternating, medians and ratios
//   zeros     each MatMul's left-operand zero fraction and the GEMM path it takes, at steps 0..10000 of training
//   onnx      the test-set pass (10000x784 -> 10) and one image: ours vs ONNX Runtime on the exported model, alternating rounds, ratios
// TFMNIST_SEQUENTIAL=1 runs the step/profile/alloc harness with inter-op parallelism off, TFMNIST_PARALLEL=1
// always on (the default lets each plan time both and keep the faster), for comparison.
string command = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : "all";
string dataDir = Option("--data-dir") ?? FindRepoFile("MNIST_data") ?? "MNIST_data";
int samples = int.Parse(Option("--samples") ?? "200");
int rounds = int.Parse(Option("--rounds") ?? "3");

switch (command)
{
    case "step": StepBench.Run(dataDir, samples); break;
    case "profile": ProfileBench.Run(dataDir, samples); break;
    case "overhead": OverheadBench.Run(dataDir, samples); break;
    case "elementwise": ElementwiseBench.Run(samples); break;
    case "alloc": StepBench.Allocations(dataDir); break;
    case "kernels": KernelBench.Run(samples); break;
    case "summaries": SummaryBench.Run(samples); break;
    case "allocops": AllocProbe.Run(dataDir); break;
    case "summaries-in-pass": SummaryInPassBench.Run(dataDir, samples); break;
    case "buckets": BucketBench.Run(Math.Min(samples, 50)); break;
    case "sparse": SparseBench.Run(dataDir, Math.Min(samples, 40), Option("--threads") is { } st ? int.Parse(st) : null); break;
    case "zeros": ZeroFractionBench.Run(dataDir); break;
    case "onnx": OnnxBench.Run(dataDir, samples, rounds); break;
    case "gemm":
        PeerBench.Gemm(Math.Min(samples, 50), Option("--filter"), Option("--threads") is { } t ? int.Parse(t) : null, args.Contains("--no-peers"),
            Option("--kernel") is { } kernel ? Enum.Parse<TfMnist.Kernels.GemmKernel>(kernel, ignoreCase: true) : null,
            Option("--isa") is { } isa ? Enum.Parse<TfMnist.Kernels.GemmIsa>(isa) : null,
            Option("--rounds") is { } r ? int.Parse(r) : 1);
        break;
    case "schedule": PeerBench.Run(dataDir, rounds, args.Contains("--numpy-train")); break;
    case "all":
        StepBench.Run(dataDir, samples);
        StepBench.Allocations(dataDir);
        break;
    default:
        Console.Error.WriteLine($"unknown command '{command}'; use step, profile, alloc or all");
        return 2;
}
return 0;

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string? FindRepoFile(string name)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "TfMnist.sln"))) return Path.Combine(dir.FullName, name);
    return null;
}

using TfMnist.Bench;

// bench [step|profile|alloc|gemm|schedule|all] [--data-dir DIR] [--samples N] [--rounds N]
string command = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : "all";
string dataDir = Option("--data-dir") ?? FindRepoFile("MNIST_data") ?? "MNIST_data";
int samples = int.Parse(Option("--samples") ?? "200");
int rounds = int.Parse(Option("--rounds") ?? "3");

switch (command)
{
    case "step": StepBench.Run(dataDir, samples); break;
    case "profile": ProfileBench.Run(dataDir, samples); break;
    case "alloc": StepBench.Allocations(dataDir); break;
    case "kernels": KernelBench.Run(samples); break;
    case "sparse": SparseProbe.Run(); break;
    case "gemm": Console.Write(TfMnist.Kernels.GemmBench.Run(reps: samples)); break;
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

namespace TfMnist.Tests.Data;

/// <summary>Finds the repository's MNIST_data folder, or skips the calling test when it is not there.</summary>
internal static class RepoData
{
    public static string MnistDirOrSkip()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "TfMnist.sln"))) continue;
            string mnist = Path.Combine(dir.FullName, "MNIST_data");
            string[] missing = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
            missing = missing.Where(name => !File.Exists(Path.Combine(mnist, name))).ToArray();
            if (missing.Length > 0) Requirement.Missing($"{mnist} lacks {string.Join(", ", missing)}; put the MNIST gz files there to run this test.");
            return mnist;
        }
        Requirement.Missing($"no TfMnist.sln above {AppContext.BaseDirectory}, so the repository's MNIST_data cannot be found.");
        return "";
    }
}

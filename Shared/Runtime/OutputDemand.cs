using TfMnist.Framework;

namespace TfMnist.Runtime;

/// <summary>
/// How much of an output a plan actually reads: the test pass's rounded input (10000 x 784, 31 MB) feeds the
/// first layer's product, which a fused kernel reads while it rounds, and an image summary that looks at ten
/// images through a reshape. Knowing that, the fused kernel writes ten rows instead of 31 MB.
/// </summary>
internal static class OutputDemand
{
    /// <summary>
    /// The number of leading elements of <paramref name="tensor"/> that the plan's steps (other than
    /// <paramref name="except"/>) read, following views (<see cref="OpDefinition.LeadingElementsRead"/>);
    /// null when something may read all of it: a fetch, or any reader that does not say otherwise.
    /// </summary>
    public static long? LeadingElementsRead(Tensor tensor, Dictionary<Operation, int> stepIndex, HashSet<Tensor> fetched, Operation? except = null)
    {
        if (fetched.Contains(tensor)) return null;
        long demand = 0;
        foreach (var reader in tensor.Op.Consumers.Distinct())
        {
            if (reader == except || !stepIndex.ContainsKey(reader)) continue;
            for (int j = 0; j < reader.Inputs.Count; j++)
            {
                if (reader.Inputs[j] != tensor) continue;
                long? read = reader.Definition?.LeadingElementsRead(reader, j, output => LeadingElementsRead(output, stepIndex, fetched));
                if (read is null) return null;
                demand = Math.Max(demand, read.Value);
            }
        }
        return demand;
    }
}

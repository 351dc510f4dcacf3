using TfMnist.Proto;
using TfMnist.Summary;
using TfMnist.Tests.Summary;

namespace TfMnist.Tests.Inspect;

/// <summary>The digest of an event (payloads skipped) says what the full parse says about steps, kinds and tags.</summary>
public class EventDigestTests
{
    [Fact]
    public void Digests_OfTheReferenceLogs_AgreeWithTheFullEvents()
    {
        string dir = ReferenceFiles.RequireEventsDir();
        foreach (string file in ReferenceFiles.EventFiles(dir))
        {
            var full = EventFileReader.Read(file).ToList();
            var digests = EventFileReader.ReadDigests(file).ToList();
            Assert.Equal(full.Count, digests.Count);
            for (int i = 0; i < full.Count; i++)
            {
                Assert.Equal(full[i].Step, digests[i].Step);
                Assert.Equal(full[i].WhatCase.ToString(), digests[i].WhatCase.ToString());
                if (full[i].WhatCase == Event.WhatOneofCase.GraphDef) Assert.Equal(full[i].GraphDef, digests[i].GraphDef);
                if (full[i].WhatCase != Event.WhatOneofCase.Summary) continue;
                var values = full[i].Summary.Value;
                var digested = digests[i].Summary.Value;
                Assert.Equal(values.Select(v => (v.Tag, v.ValueCase.ToString(), v.SimpleValue)), digested.Select(v => (v.Tag, v.ValueCase.ToString(), v.SimpleValue)));
            }
        }
    }
}

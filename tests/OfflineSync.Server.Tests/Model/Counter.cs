namespace OfflineSync.Server.Tests.Model;

/// <summary>A long-keyed entity (server keys from a database sequence).</summary>
[Syncable("counters")]
public partial class Counter
{
    public long Id { get; set; }

    public string Name { get; set; } = "";
}

namespace OfflineSync.Server.Tests.Model;

/// <summary>An int-keyed entity that references counters (a numeric reference slot).</summary>
[Syncable("badges")]
public partial class Badge
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    [References(typeof(Counter))]
    public long? CounterId { get; set; }
}

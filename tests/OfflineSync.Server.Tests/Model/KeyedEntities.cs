namespace OfflineSync.Server.Tests.Model;

/// <summary>A long-keyed entity (server keys from a database sequence).</summary>
[Syncable("counters")]
public partial class Counter
{
    public long Id { get; set; }

    public string Name { get; set; } = "";
}

/// <summary>An int-keyed entity that references counters (a numeric reference slot).</summary>
[Syncable("badges")]
public partial class Badge
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    [References(typeof(Counter))]
    public long? CounterId { get; set; }
}

/// <summary>A Guid-keyed entity (the client's proposed Guid is kept when free).</summary>
[Syncable("tickets")]
public partial class Ticket
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";
}

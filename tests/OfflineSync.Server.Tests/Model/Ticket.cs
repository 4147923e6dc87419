namespace OfflineSync.Server.Tests.Model;

/// <summary>A Guid-keyed entity (the client's proposed Guid is kept when free).</summary>
[Syncable("tickets")]
public partial class Ticket
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";
}

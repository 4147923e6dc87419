using OfflineSync;

namespace Notes.Model;

/// <summary>A notebook: a string key, and a reference to a note with a <see cref="Guid"/> key.</summary>
[Syncable("notebooks")]
public partial class Notebook
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    [References(typeof(Note))]
    public Guid? PinnedNoteId { get; set; }
}

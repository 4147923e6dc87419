using OfflineSync;

namespace Notes.Model;

/// <summary>A note: a <see cref="Guid"/> key, a reference to a notebook (string key) and to labels (long keys).</summary>
[Syncable("notes")]
public partial class Note
{
    public Guid Id { get; set; }

    public string Title { get; set; } = "";

    [References(typeof(Notebook))]
    public string NotebookId { get; set; } = "";

    [References(typeof(Label))]
    public List<long> LabelIds { get; set; } = new();
}

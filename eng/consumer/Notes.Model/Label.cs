using OfflineSync;

namespace Notes.Model;

/// <summary>A label: a long key (optimistic keys are negative numbers), scoped to a notebook.</summary>
[Syncable("labels")]
public partial class Label
{
    public long Id { get; set; }

    public string Text { get; set; } = "";

    [References(typeof(Notebook))]
    public string? NotebookId { get; set; }
}

namespace OfflineSync.TestModel;

/// <summary>
/// What every entity of the test model has besides its key: fields that let a test find a row by
/// content, whoever keyed it.
/// </summary>
public interface IWorkspaceItem
{
    /// <summary>Gets or sets the title, which the tests edit.</summary>
    string Title { get; set; }

    /// <summary>Gets or sets a value unique to one <c>Create</c> call, never edited: finds the row the call made.</summary>
    string Nonce { get; set; }

    /// <summary>Gets or sets a value unique to the last <c>Update</c> call that wrote the row: tells which client wrote it.</summary>
    string Stamp { get; set; }

    /// <summary>Gets or sets the server version the item was last seen at.</summary>
    string? Version { get; set; }
}

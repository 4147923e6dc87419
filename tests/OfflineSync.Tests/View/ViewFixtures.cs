using OfflineSync.Tests.View.Model;

namespace OfflineSync.Tests.View;

/// <summary>Builders for rows, events and patches used by the view tests.</summary>
internal static class ViewFixtures
{
    /// <summary>The client the view tests play; rows made with an origin key are its own (S3).</summary>
    public const string ClientId = "view-client";

    public static ViewTodo Todo(string key, string title, string? version = null, string? categoryId = null) =>
        new() { Id = key, Title = title, Version = version, CategoryId = categoryId };

    public static ReadOnlyMemory<byte> Json(ViewTodo todo) => SyncJson.SerializeToUtf8Bytes(todo);

    public static ReadOnlyMemory<byte> Json(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    public static ChangeEvent Event(ChangeKind kind, long sequence, ViewTodo row, string? origin = null, string? originClientId = ClientId) =>
        new(ViewTodo.ResourceName, kind, sequence, row.Id, origin, row.Version, kind == ChangeKind.Removed ? default : Json(row))
        {
            OriginClientId = origin is null ? null : originClientId,
        };

    public static ChangeEvent Removed(long sequence, string key) =>
        new(ViewTodo.ResourceName, ChangeKind.Removed, sequence, key, null, null, default);

    public static ChangeEvent Changed(long sequence, string key, string version, string json) =>
        new(ViewTodo.ResourceName, ChangeKind.Changed, sequence, key, null, version, Json(json));

    public static ListItem Listed(ViewTodo row, string? origin = null, string? originClientId = ClientId) =>
        new(row.Id, origin, row.Version, Json(row)) { OriginClientId = origin is null ? null : originClientId };

    public static ViewTodoPatch Title(string title) => new() { Title = title };

    public static string[] Keys(this IReadOnlyList<ViewTodo> items) => items.Select(static t => t.Id).ToArray();
}

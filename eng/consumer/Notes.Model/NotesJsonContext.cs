using System.Text.Json.Serialization;

namespace Notes.Model;

/// <summary>
/// Source-generated JSON metadata of the entities, so the app can be trimmed and compiled with Native
/// AOT: the generated JSON contract of each entity takes its metadata from the context of its project
/// that lists it (OSYNC010 reports an entity no context lists, in a project analyzed for AOT).
/// </summary>
[JsonSerializable(typeof(Notebook))]
[JsonSerializable(typeof(Label))]
[JsonSerializable(typeof(Note))]
internal partial class NotesJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace OfflineSync.Generators.Tests.Models;

// The AOT-safe path: these entities take their JSON metadata from this context. The others
// (Category, User, Tag, Project, Board) keep the reflection-based contract, so both paths are
// generated, compiled and snapshotted.
[JsonSerializable(typeof(Todo))]
[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(Milestone))]
internal partial class ModelJsonContext : JsonSerializerContext;

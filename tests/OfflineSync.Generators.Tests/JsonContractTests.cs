using System.Text;
using System.Text.Json;
using OfflineSync.Generators.Tests.Models;

namespace OfflineSync.Generators.Tests;

/// <summary>
/// The JSON contract of an entity listed in a JsonSerializerContext: built from the context's metadata (no
/// reflection), and the same contract as the reflection-based one — camelCase, [SyncIgnore] left out, nulls written.
/// </summary>
public sealed class JsonContractTests
{
    [Fact]
    public void ContextEntity_WritesExactlyTheJsonOfTheReflectionContract()
    {
        Todo todo = Populated();

        string fromContext = JsonSerializer.Serialize(todo, Todo.JsonTypeInfo);
        string fromReflection = Encoding.UTF8.GetString(SyncJson.SerializeToUtf8Bytes(todo));

        Assert.Equal(fromReflection, fromContext);
        Assert.Contains("\"categoryId\":null", fromContext, StringComparison.Ordinal);
        Assert.Contains("\"tagIds\":[\"tag-1\"]", fromContext, StringComparison.Ordinal);
        Assert.DoesNotContain("localNote", fromContext, StringComparison.Ordinal);
        Assert.DoesNotContain("localDraft", fromContext, StringComparison.Ordinal);
        Assert.DoesNotContain("LocalNote", fromContext, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextEntity_ReadsBackWhatItWrote_SyncIgnoredMembersStayUnset()
    {
        Todo todo = Populated();

        Todo read = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(todo, Todo.JsonTypeInfo), Todo.JsonTypeInfo)!;

        Assert.Equal(JsonSerializer.Serialize(todo, Todo.JsonTypeInfo), JsonSerializer.Serialize(read, Todo.JsonTypeInfo));
        Assert.Null(read.LocalNote);
        Assert.Null(read.Assignee!.LocalDraft);
        Assert.Equal("user-2", read.Assignee.UserId);
    }

    [Fact]
    public void ContextEntity_OptionsDescribeOnlyWhatTheContextGenerated()
    {
        // A reflection-based resolver describes any type; the context's does not know System.Version.
        Assert.Null(Todo.JsonTypeInfo.Options.TypeInfoResolver!.GetTypeInfo(typeof(Version), Todo.JsonTypeInfo.Options));
        Assert.NotNull(User.JsonTypeInfo.Options.TypeInfoResolver!.GetTypeInfo(typeof(Version), User.JsonTypeInfo.Options));
    }

    [Fact]
    public void ContextEntity_PatchValuesUseTheContextsMetadata()
    {
        var patch = new TodoPatch
        {
            TagIds = new List<string> { "tag-1" },
            Assignee = new Assignment { UserId = "user-2", LocalDraft = "draft" },
            Status = Status.Done,
        };

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            patch.WriteTo(writer);
        }

        string json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        TodoPatch read = TodoPatch.Read(ref reader);

        Assert.Equal("{\"status\":1,\"tagIds\":[\"tag-1\"],\"assignee\":{\"userId\":\"user-2\",\"collaborators\":[],\"review\":null}}", json);
        Assert.Equal(["tag-1"], read.TagIds.Value);
        Assert.Equal("user-2", read.Assignee.Value!.UserId);
    }

    private static Todo Populated() => new()
    {
        Id = "todo-1",
        Title = "Ship",
        OwnerId = "user-1",
        LocalNote = "local",
        TagIds = ["tag-1"],
        DueAt = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero),
        Assignee = new Assignment { UserId = "user-2", LocalDraft = "draft", Review = new Review { ReviewerId = "user-3" } },
        Checklists = [new Checklist { Title = "c", Items = [new ChecklistItem { Text = "t", DoneById = "user-1" }] }],
        Replies = [new Reply { AuthorId = "user-1", Replies = [new Reply { AuthorId = "user-2" }] }],
        Attachment = new Attachment("user-1") { TagId = "tag-1" },
    };
}

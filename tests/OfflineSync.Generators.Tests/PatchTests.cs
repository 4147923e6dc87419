using System.Buffers;
using System.Text;
using System.Text.Json;
using OfflineSync.Generators.Tests.Models;

namespace OfflineSync.Generators.Tests;

/// <summary>The generated patch types: Merge, ApplyTo, Diff and their JSON.</summary>
public sealed class PatchTests
{
    [Fact]
    public void Diff_ThenApplyTo_TurnsBeforeIntoAfter()
    {
        Todo before = NewTodo();
        Todo after = NewTodo();
        after.Title = "Ship it";
        after.Completed = true;
        after.TagIds.Add("tag-2");
        after.Assignee = new Assignment { UserId = "user-2" };
        after.SecondPin = new GeoPin { BoardId = 3 };
        after.DueAt = null;

        TodoPatch patch = TodoPatch.Diff(before, after);
        Todo target = NewTodo();
        patch.ApplyTo(target);

        Assert.Equal(JsonOf(after), JsonOf(target));
        Assert.True(patch.Title.HasValue);
        Assert.True(patch.DueAt.HasValue);
        Assert.False(patch.Priority.HasValue); // unchanged properties stay unset
        Assert.False(patch.OwnerId.HasValue);
    }

    [Fact]
    public void Diff_OfEqualEntities_IsEmpty()
    {
        TodoPatch patch = TodoPatch.Diff(NewTodo(), NewTodo());

        Assert.True(patch.IsEmpty);
        Assert.Equal("{}", WriteJson(patch));
    }

    [Fact]
    public void Diff_IgnoresKeyVersionAndSyncIgnore()
    {
        Todo before = NewTodo();
        Todo after = NewTodo();
        after.Id = "other";
        after.Version = "v9";
        after.LocalNote = "only here";

        Assert.True(TodoPatch.Diff(before, after).IsEmpty);
    }

    [Fact]
    public void ApplyTo_CopiesCollections_SoTheEntityNeverSharesThemWithThePatch()
    {
        var patch = new TodoPatch { TagIds = new List<string> { "tag-1" } };
        var todo = new Todo();

        patch.ApplyTo(todo);
        patch.TagIds.Value.Add("tag-2");

        Assert.Equal(["tag-1"], todo.TagIds);
    }

    [Fact]
    public void ApplyTo_InitOnlyRecordProperties_AreSet()
    {
        var note = new Note { Id = "n1", Text = "old" };
        new NotePatch { Text = "new", BoardId = 5 }.ApplyTo(note);

        Assert.Equal("new", note.Text);
        Assert.Equal(5, note.BoardId);
    }

    [Fact]
    public void Merge_LaterSetValuesWin_EarlierValuesStay()
    {
        var earlier = new TodoPatch { Title = "a", Priority = 1 };
        var later = new TodoPatch { Title = "b", Completed = true };

        TodoPatch merged = earlier.Merge(later);

        Assert.Equal("b", merged.Title.Value);
        Assert.Equal(1, merged.Priority.Value);
        Assert.True(merged.Completed.Value);
        Assert.False(merged.OwnerId.HasValue);
        Assert.Equal("a", earlier.Title.Value); // merge makes a new patch
    }

    [Fact]
    public void Merge_ThroughTheInterface_RejectsAnotherPatchType()
    {
        ISyncPatch<Todo> patch = new TodoPatch();

        Assert.IsType<TodoPatch>(patch.Merge(new TodoPatch { Title = "x" }));
        Assert.Throws<ArgumentNullException>(() => patch.Merge(null!));
    }

    [Fact]
    public void WriteTo_WritesOnlySetFields_WithCamelCaseNames()
    {
        var patch = new TodoPatch { Title = "Ship", Completed = true, CategoryId = null, DueAt = null };

        Assert.Equal("""{"title":"Ship","completed":true,"dueAt":null,"categoryId":null}""", WriteJson(patch));
    }

    [Fact]
    public void WriteTo_ThenRead_RoundTripsEveryKindOfValue()
    {
        var patch = new TodoPatch
        {
            Title = "Ship \"it\" ✓",
            Completed = false,
            Priority = -7,
            Status = Status.Done,
            DueAt = new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.FromHours(1)),
            CategoryId = "cat-1",
            OwnerId = "user-1",
            ProjectId = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
            MilestoneId = long.MaxValue,
            BoardId = int.MinValue,
            TagIds = new List<string> { "a", "b" },
            WatcherIds = new[] { "w" },
            LinkedProjectIds = new List<Guid> { Guid.Empty },
            PinnedTagIds = new HashSet<string> { "p" },
            Assignee = new Assignment { UserId = "u", Review = new Review { ReviewerId = "r" } },
            Checklists = new List<Checklist> { new() { Title = "c", Items = [new ChecklistItem { DoneById = "d" }] } },
            Pin = new GeoPin { BoardId = 4, Latitude = 0.25 },
            SecondPin = null,
            Replies = new List<Reply>(),
            Attachment = new Attachment("up") { TagId = "t" },
            Label = null,
        };

        string json = WriteJson(patch);
        TodoPatch read = Read(json);

        Assert.Equal(json, WriteJson(read));
        Assert.Equal(patch.Title, read.Title);
        Assert.Equal(patch.DueAt, read.DueAt);
        Assert.Equal(patch.ProjectId, read.ProjectId);
        Assert.Equal(patch.MilestoneId, read.MilestoneId);
        Assert.Equal(patch.BoardId, read.BoardId);
        Assert.Equal(patch.Status, read.Status);
        Assert.Equal(["a", "b"], read.TagIds.Value);
        Assert.Equal("r", read.Assignee.Value!.Review!.ReviewerId);
        Assert.Equal(patch.Attachment.Value, read.Attachment.Value);
        Assert.False(read.IsEmpty);
    }

    [Fact]
    public void Read_UnsetFieldsStayUnset_AndUnknownPropertiesAreSkipped()
    {
        TodoPatch read = Read("""{"completed":true,"somethingNew":{"deep":[1,2,{"x":null}]},"priority":3}""");

        Assert.True(read.Completed.Value);
        Assert.Equal(3, read.Priority.Value);
        Assert.False(read.Title.HasValue);
        Assert.False(read.CategoryId.HasValue);
    }

    [Fact]
    public void ReadPatch_ThroughTheEntity_ReturnsTheTypedPatch()
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes("""{"title":"x"}"""));

        ISyncPatch<Todo> patch = Todo.ReadPatch(ref reader);

        Assert.Equal("x", Assert.IsType<TodoPatch>(patch).Title.Value);
    }

    [Fact]
    public void Read_NotAnObject_ThrowsJsonException()
    {
        Assert.Throws<JsonException>(() => Read("[1]"));
    }

    // Bad input gets a clear error: a value of another type is a JsonException naming the property.
    [Theory]
    [InlineData("""{"completed":"yes"}""", "completed")]
    [InlineData("""{"priority":null}""", "priority")]
    [InlineData("""{"priority":1e40}""", "priority")]
    [InlineData("""{"title":42}""", "title")]
    [InlineData("""{"dueAt":"tomorrow"}""", "dueAt")]
    public void Read_ValueOfAnotherType_ThrowsJsonExceptionNamingTheProperty(string json, string property)
    {
        JsonException exception = Assert.Throws<JsonException>(() => Read(json));

        Assert.Contains("'" + property + "'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("TodoPatch", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntityDiff_ReturnsTheGeneratedPatch()
    {
        Todo before = NewTodo();
        Todo after = NewTodo();
        after.Priority = 9;

        ISyncPatch<Todo> patch = Todo.Diff(before, after);

        Assert.Equal(9, Assert.IsType<TodoPatch>(patch).Priority.Value);
    }

    private static Todo NewTodo() => new()
    {
        Id = "todo-1",
        Title = "Draft",
        OwnerId = "user-1",
        TagIds = ["tag-1"],
        DueAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Pin = new GeoPin { BoardId = 1 },
    };

    private static string JsonOf(Todo todo) => Encoding.UTF8.GetString(SyncJson.SerializeToUtf8Bytes(todo));

    private static string WriteJson(TodoPatch patch)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            patch.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static TodoPatch Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        return TodoPatch.Read(ref reader);
    }
}

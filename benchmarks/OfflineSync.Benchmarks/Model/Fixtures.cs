namespace OfflineSync.Benchmarks.Model;

/// <summary>Entities shaped like the representative model, the same in every benchmark.</summary>
public static class Fixtures
{
    /// <summary>A todo with 3 scalar references, 10 tags and an assignee with a user and 2 collaborators: 16 key slots.</summary>
    public static Todo Todo(string id, string categoryId = "cat-1", string ownerId = "user-1", string userId = "user-2", string firstTag = "tag-0") => new()
    {
        Id = id,
        Title = "Ship the release notes",
        CategoryId = categoryId,
        OwnerId = ownerId,
        ProjectId = "project-1",
        TagIds = [firstTag, "tag-1", "tag-2", "tag-3", "tag-4", "tag-5", "tag-6", "tag-7", "tag-8", "tag-9"],
        Assignee = new Assignment { UserId = userId, Collaborators = ["user-3", "user-4"], Comment = "optimistic_look-alike" },
    };
}

using System.Text.Json;

namespace OfflineSync.Tests.View.Model;

/// <summary>The hand-written patch of <see cref="ViewTodo"/>: JSON holds only the set properties.</summary>
public sealed class ViewTodoPatch : ISyncPatch<ViewTodo>
{
    public Optional<string> Title { get; init; }

    public Optional<bool> Completed { get; init; }

    public Optional<string?> CategoryId { get; set; }

    public bool IsEmpty => !Title.HasValue && !Completed.HasValue && !CategoryId.HasValue;

    public void ApplyTo(ViewTodo entity)
    {
        if (Title.TryGetValue(out string? title))
        {
            entity.Title = title;
        }

        if (Completed.TryGetValue(out bool completed))
        {
            entity.Completed = completed;
        }

        if (CategoryId.HasValue)
        {
            entity.CategoryId = CategoryId.Value;
        }
    }

    public ISyncPatch<ViewTodo> Merge(ISyncPatch<ViewTodo> later)
    {
        var next = (ViewTodoPatch)later;
        return new ViewTodoPatch
        {
            Title = next.Title.HasValue ? next.Title : Title,
            Completed = next.Completed.HasValue ? next.Completed : Completed,
            CategoryId = next.CategoryId.HasValue ? next.CategoryId : CategoryId,
        };
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Title.HasValue)
        {
            writer.WriteString("title", Title.Value);
        }

        if (Completed.HasValue)
        {
            writer.WriteBoolean("completed", Completed.Value);
        }

        if (CategoryId.HasValue)
        {
            writer.WriteString("categoryId", CategoryId.Value);
        }

        writer.WriteEndObject();
    }

    public void VisitReferences<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
        if (CategoryId.HasValue && CategoryId.Value is string key)
        {
            visitor.Visit<ViewCategory, string>(ref key);
            CategoryId = key;
        }
    }

    public static ViewTodoPatch Read(ref Utf8JsonReader reader)
    {
        Optional<string> title = default;
        Optional<bool> completed = default;
        Optional<string?> categoryId = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "title": title = reader.GetString()!; break;
                case "completed": completed = reader.GetBoolean(); break;
                case "categoryId": categoryId = new Optional<string?>(reader.GetString()); break;
                default: reader.Skip(); break;
            }
        }

        return new ViewTodoPatch { Title = title, Completed = completed, CategoryId = categoryId };
    }
}

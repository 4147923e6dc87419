using System.Collections.Generic;
using System.Linq;
using OfflineSync.Generators.Model;

namespace OfflineSync.Generators;

public sealed partial class SyncGenerator
{
    internal static partial class Emitter
    {
        private const string Json = "global::System.Text.Json";

        private static void WritePatch(SourceWriter writer, EntityModel entity)
        {
            string self = entity.Type.FullyQualifiedName;
            string patch = entity.PatchName;
            writer.WriteLines($$"""
                /// <summary>A partial update of <see cref="{{self}}"/>: only the properties that are set are applied and sent.</summary>
                {{GeneratedCode}}
                {{entity.Type.Accessibility}} sealed partial class {{patch}} : global::OfflineSync.ISyncPatch<{{self}}>
                """);
            writer.OpenBrace();
            WritePatchProperties(writer, entity);
            WritePatchMerge(writer, entity);
            WritePatchApplyAndDiff(writer, entity);
            WritePatchVisit(writer, entity);
            WritePatchWrite(writer, entity);
            WritePatchRead(writer, entity);
            writer.CloseBrace();
        }

        private static void WritePatchProperties(SourceWriter writer, EntityModel entity)
        {
            foreach (PatchPropertyModel property in entity.PatchProperties)
            {
                writer.WriteLine($"private static readonly {Json}.JsonEncodedText {property.JsonNameField} = {Json}.JsonEncodedText.Encode({Literal(property.JsonName)});");
            }

            if (!entity.PatchProperties.IsEmpty)
            {
                writer.WriteLine();
            }

            foreach (PatchPropertyModel property in entity.PatchProperties)
            {
                writer.WriteLines($$"""
                    /// <summary>Gets or sets the new value of <see cref="{{entity.Type.FullyQualifiedName}}.{{property.Name}}"/>; unset leaves it as it is.</summary>
                    public {{Optional(property)}} {{property.Name}} { get; set; }

                    """);
            }

            string isEmpty = entity.PatchProperties.IsEmpty
                ? "true"
                : string.Join(" && ", entity.PatchProperties.Select(static p => "!this." + p.Name + ".HasValue"));
            writer.WriteLines($$"""
                /// <inheritdoc/>
                public bool IsEmpty => {{isEmpty}};

                """);
        }

        private static void WritePatchMerge(SourceWriter writer, EntityModel entity)
        {
            string self = entity.Type.FullyQualifiedName;
            string patch = entity.PatchFullyQualifiedName;
            writer.WriteLines($$"""
                /// <summary>Returns a new patch with this patch's values overwritten by those set in <paramref name="later"/>.</summary>
                /// <param name="later">The patch made after this one.</param>
                public {{patch}} Merge({{patch}} later)
                {
                    global::System.ArgumentNullException.ThrowIfNull(later);
                    return new {{patch}}
                    {
                """);
            foreach (PatchPropertyModel property in entity.PatchProperties)
            {
                writer.WriteLine($"        {property.Name} = later.{property.Name}.HasValue ? later.{property.Name} : this.{property.Name},");
            }

            writer.WriteLines($$"""
                    };
                }

                /// <inheritdoc/>
                global::OfflineSync.ISyncPatch<{{self}}> global::OfflineSync.ISyncPatch<{{self}}>.Merge(global::OfflineSync.ISyncPatch<{{self}}> later)
                {
                    global::System.ArgumentNullException.ThrowIfNull(later);
                    return later is {{patch}} typed
                        ? this.Merge(typed)
                        : throw new global::System.ArgumentException("Expected a {{entity.PatchName}} but got a " + later.GetType().Name + ".", nameof(later));
                }

                """);
        }

        private static void WritePatchApplyAndDiff(SourceWriter writer, EntityModel entity)
        {
            string self = entity.Type.FullyQualifiedName;
            string support = SupportReference(entity);
            writer.WriteLines("""
                /// <inheritdoc/>
                """);
            writer.OpenBlock($"public void ApplyTo({self} entity)");
            writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(entity);");
            foreach (PatchPropertyModel property in entity.PatchProperties)
            {
                // Non-scalar values are copied so the entity never shares a list or object with the patch.
                string value = property.IsScalar
                    ? "this." + property.Name + ".Value"
                    : support + ".CloneValue(this." + property.Name + ".Value)";
                writer.OpenBlock($"if (this.{property.Name}.HasValue)");
                writer.WriteLine(Assign(property.Write, support, "entity", byRef: false, property.Name, value));
                writer.CloseBrace();
            }

            writer.CloseBrace();
            writer.WriteLine();

            writer.WriteLines("""
                /// <summary>Returns the patch that turns <paramref name="before"/> into <paramref name="after"/>: the properties whose values differ.</summary>
                /// <param name="before">The entity before the edit.</param>
                /// <param name="after">The entity after the edit.</param>
                """);
            writer.OpenBlock($"public static {entity.PatchFullyQualifiedName} Diff({self} before, {self} after)");
            writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(before);");
            writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(after);");
            writer.WriteLine($"var patch = new {entity.PatchFullyQualifiedName}();");
            foreach (PatchPropertyModel property in entity.PatchProperties)
            {
                string equal = property.IsScalar
                    ? $"global::System.Collections.Generic.EqualityComparer<{property.TypeName}>.Default.Equals(before.{property.Name}, after.{property.Name})"
                    : $"global::OfflineSync.SyncJson.JsonEquals(before.{property.Name}, after.{property.Name}, {support}.ValueTypeInfo<{property.TypeName}>())";
                writer.OpenBlock($"if (!{equal})");
                writer.WriteLine($"patch.{property.Name} = new {Optional(property)}(after.{property.Name});");
                writer.CloseBrace();
            }

            writer.WriteLine("return patch;");
            writer.CloseBrace();
            writer.WriteLine();
        }

        private static void WritePatchVisit(SourceWriter writer, EntityModel entity)
        {
            writer.WriteLines($$"""
                /// <inheritdoc/>
                public void VisitReferences<TVisitor>(ref TVisitor visitor)
                    {{Visitor}}
                """);
            writer.OpenBrace();
            var slots = new Dictionary<string, SlotModel>();
            foreach (SlotModel slot in entity.Walks[0].Slots)
            {
                slots[slot.MemberName] = slot;
            }

            int counter = 0;
            bool any = false;
            foreach (PatchPropertyModel property in entity.PatchProperties)
            {
                if (!slots.TryGetValue(property.Name, out SlotModel? slot))
                {
                    continue;
                }

                any = true;
                string name = property.Name;
                string optional = Optional(property);
                writer.OpenBlock($"if (this.{name}.HasValue)");
                WriteSlot(writer, entity, slot, $"this.{name}.Value", v => $"this.{name} = new {optional}({v});", null, "1", ref counter);
                writer.CloseBrace();
            }

            if (!any)
            {
                writer.WriteLine("_ = visitor;");
            }

            writer.CloseBrace();
            writer.WriteLine();
        }

        private static void WritePatchWrite(SourceWriter writer, EntityModel entity)
        {
            string support = SupportReference(entity);
            writer.WriteLines($$"""
                /// <inheritdoc/>
                public void WriteTo({{Json}}.Utf8JsonWriter writer)
                {
                    global::System.ArgumentNullException.ThrowIfNull(writer);
                    writer.WriteStartObject();
                """);
            writer.Indent();
            foreach (PatchPropertyModel property in entity.PatchProperties)
            {
                string name = property.JsonNameField;
                string value = "this." + property.Name + ".Value";
                writer.OpenBlock($"if (this.{property.Name}.HasValue)");
                if (property.IsNullableValueType)
                {
                    writer.OpenBlock($"if ({value} is {{ }} value)");
                    writer.WriteLine(WriteValue(property, name, "value"));
                    writer.CloseBrace();
                    writer.OpenBlock("else");
                    writer.WriteLine($"writer.WriteNull({name});");
                    writer.CloseBrace();
                }
                else if (property.JsonKind == JsonValueKind.Serializer)
                {
                    writer.WriteLine($"writer.WritePropertyName({name});");
                    writer.WriteLine($"{Json}.JsonSerializer.Serialize(writer, {value}, {support}.ValueTypeInfo<{property.TypeName}>());");
                }
                else
                {
                    writer.WriteLine(WriteValue(property, name, value));
                }

                writer.CloseBrace();
            }

            writer.Unindent();
            writer.WriteLines("""
                    writer.WriteEndObject();
                }

                """);
        }

        private static string WriteValue(PatchPropertyModel property, string name, string value) => property.JsonKind switch
        {
            JsonValueKind.Boolean => $"writer.WriteBoolean({name}, {value});",
            JsonValueKind.Number => property.ReaderSuffix switch
            {
                "Byte" or "SByte" or "Int16" => $"writer.WriteNumber({name}, (int){value});",
                "UInt16" => $"writer.WriteNumber({name}, (uint){value});",
                _ => $"writer.WriteNumber({name}, {value});",
            },
            _ => $"writer.WriteString({name}, {value});",
        };

        private static void WritePatchRead(SourceWriter writer, EntityModel entity)
        {
            string patch = entity.PatchName;
            string fullName = entity.PatchFullyQualifiedName;
            writer.WriteLines($$"""
                /// <summary>Reads a patch written by <see cref="WriteTo"/>; unknown properties are skipped.</summary>
                /// <param name="reader">A reader positioned before or on the patch's start object.</param>
                /// <exception cref="{{Json}}.JsonException">The JSON is not an object of the patch's shape, or a value is not of its property's type.</exception>
                public static {{fullName}} Read(ref {{Json}}.Utf8JsonReader reader)
                {
                    if (reader.TokenType == {{Json}}.JsonTokenType.None && !reader.Read())
                    {
                        throw new {{Json}}.JsonException("Expected a JSON object holding a {{patch}} but the input is empty.");
                    }

                    if (reader.TokenType != {{Json}}.JsonTokenType.StartObject)
                    {
                        throw new {{Json}}.JsonException("Expected a JSON object holding a {{patch}} but found " + reader.TokenType + ".");
                    }

                    var patch = new {{fullName}}();
                    string property = string.Empty;
                    try
                    {
                        while (reader.Read())
                        {
                            if (reader.TokenType == {{Json}}.JsonTokenType.EndObject)
                            {
                                return patch;
                            }

                            if (reader.TokenType != {{Json}}.JsonTokenType.PropertyName)
                            {
                                throw new {{Json}}.JsonException("Expected a property name in a {{patch}} but found " + reader.TokenType + ".");
                            }

                """);
            writer.Indent();
            writer.Indent();
            writer.Indent();
            string prefix = "if";
            foreach (PatchPropertyModel property in entity.PatchProperties)
            {
                writer.OpenBlock($"{prefix} (reader.ValueTextEquals({property.JsonNameField}.EncodedUtf8Bytes))");
                writer.WriteLine($"property = {Literal(property.JsonName)};");
                writer.WriteLine("reader.Read();");
                writer.WriteLine($"patch.{property.Name} = new {Optional(property)}({ReadValue(property, SupportReference(entity))});");
                writer.CloseBrace();
                prefix = "else if";
            }

            writer.OpenBlock(prefix == "if" ? string.Empty : "else");
            writer.WriteLine("reader.Read();");
            writer.WriteLine("reader.Skip();");
            writer.CloseBrace();
            writer.Unindent();
            writer.WriteLine("}");
            writer.Unindent();
            writer.Unindent();

            // Utf8JsonReader's Get… methods throw InvalidOperationException for another token type and
            // FormatException for a number out of range; callers expect a JsonException for bad input.
            writer.WriteLines($$"""
                    }
                    catch (global::System.Exception exception) when (exception is global::System.InvalidOperationException or global::System.FormatException)
                    {
                        throw new {{Json}}.JsonException("The value of '" + property + "' in a {{patch}} is not of its property's type: " + exception.Message, exception);
                    }

                    throw new {{Json}}.JsonException("The {{patch}} JSON object is not closed.");
                }
                """);
        }

        private static string ReadValue(PatchPropertyModel property, string support)
        {
            string read = property.JsonKind switch
            {
                JsonValueKind.Serializer => $"{Json}.JsonSerializer.Deserialize(ref reader, {support}.ValueTypeInfo<{property.TypeName}>())!",
                JsonValueKind.String => "reader.GetString()!",
                _ => "reader.Get" + property.ReaderSuffix + "()",
            };

            return property.IsNullableValueType
                ? $"reader.TokenType == {Json}.JsonTokenType.Null ? default({property.TypeName}) : {read}"
                : read;
        }

        private static string Optional(PatchPropertyModel property) => "global::OfflineSync.Optional<" + property.TypeName + ">";
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OfflineSync.Generators.Model;
using OfflineSync.Shared;

namespace OfflineSync.Generators;

public sealed partial class SyncGenerator
{
    internal static partial class Emitter
    {
        public static void EmitClient(SourceProductionContext context, ClientWithEntitiesModel model)
        {
            TypeDeclarationModel client = model.Client.Type;
            var writer = new SourceWriter();
            WriteFileHeader(writer, client.Namespace);
            OpenContainingTypes(writer, client);

            writer.OpenBlock("partial class " + client.Name + " : global::OfflineSync.SyncClient");
            writer.WriteLine("// Built once: the engine needs no reflection over the app's types.");
            writer.WriteLine(GeneratedCode);
            writer.WriteLine("private static readonly global::OfflineSync.SyncModel s_model = new global::OfflineSync.SyncModelBuilder()");
            foreach (ClientEntityModel entity in model.Entities)
            {
                writer.WriteLine("    .Add<" + entity.FullyQualifiedName + ">()");
            }

            writer.WriteLine("    .Build();");
            writer.WriteLine();

            writer.WriteLines($$"""
                /// <summary>Creates the client and its engine.</summary>
                /// <param name="options">The transport, the store and how to sync.</param>
                {{GeneratedCode}}
                public {{client.Name}}(global::OfflineSync.SyncOptions options)
                    : base(options, s_model)
                """);
            writer.OpenBrace();
            foreach (ClientEntityModel entity in model.Entities)
            {
                writer.WriteLine("this." + SyncNaming.SetProperty(entity.Name) + " = new " + SyncNaming.SetType(entity.Name) + "(this.Engine);");
            }

            writer.CloseBrace();

            foreach (ClientEntityModel entity in model.Entities)
            {
                writer.WriteLine();
                WriteSet(writer, entity);
            }

            writer.CloseBrace();
            CloseContainingTypes(writer, client);
            context.AddSource(client.HintName, SourceText.From(writer.ToString(), System.Text.Encoding.UTF8));
        }

        private static void WriteSet(SourceWriter writer, ClientEntityModel entity)
        {
            string self = entity.FullyQualifiedName;
            string set = SyncNaming.SetType(entity.Name);
            string access = entity.IsPublic ? "public" : "internal";
            writer.WriteLines($$"""
                /// <summary>Gets the local view of <see cref="{{self}}"/> items and the operations on them.</summary>
                {{GeneratedCode}}
                {{access}} {{set}} {{SyncNaming.SetProperty(entity.Name)}} { get; }

                /// <summary>The typed set of <see cref="{{self}}"/>: the base operations plus overloads typed by its key and patch.</summary>
                {{GeneratedCode}}
                {{access}} sealed class {{set}} : global::OfflineSync.SyncSet<{{self}}>
                {
                    /// <summary>Creates the set over an engine.</summary>
                    /// <param name="engine">The engine of the client.</param>
                    public {{set}}(global::OfflineSync.ISyncEngine engine)
                        : base(engine)
                    {
                    }

                    /// <summary>Applies <paramref name="patch"/> to an item locally at once and queues the update.</summary>
                    /// <param name="key">The item's optimistic or server key.</param>
                    /// <param name="patch">The properties to change.</param>
                    /// <param name="idempotencyKey">An optional key that makes a repeated call a no-op.</param>
                    /// <returns>The item after the update.</returns>
                    public {{self}} Update(string key, {{entity.PatchFullyQualifiedName}} patch, string? idempotencyKey = null) => this.UpdateCore(key, patch, idempotencyKey);
                """);

            if (entity.KeyKind != KeyKind.String)
            {
                string key = entity.KeyTypeName;
                writer.WriteLines($$"""

                        /// <summary>Applies <paramref name="patch"/> to an item locally at once and queues the update.</summary>
                        /// <param name="key">The item's optimistic or server key.</param>
                        /// <param name="patch">The properties to change.</param>
                        /// <param name="idempotencyKey">An optional key that makes a repeated call a no-op.</param>
                        /// <returns>The item after the update.</returns>
                        public {{self}} Update({{key}} key, {{entity.PatchFullyQualifiedName}} patch, string? idempotencyKey = null) => this.UpdateCore(global::OfflineSync.SyncKeys.Format(key), patch, idempotencyKey);

                        /// <summary>Edits an item locally at once and queues the properties the edit changed.</summary>
                        /// <param name="key">The item's optimistic or server key.</param>
                        /// <param name="edit">Changes a copy of the item.</param>
                        /// <param name="idempotencyKey">An optional key that makes a repeated call a no-op.</param>
                        /// <returns>The item after the edit.</returns>
                        public {{self}} Update({{key}} key, global::System.Action<{{self}}> edit, string? idempotencyKey = null) => this.Update(global::OfflineSync.SyncKeys.Format(key), edit, idempotencyKey);

                        /// <summary>Deletes an item locally at once and queues the delete.</summary>
                        /// <param name="key">The item's optimistic or server key.</param>
                        /// <param name="idempotencyKey">An optional key that makes a repeated call a no-op.</param>
                        public void Delete({{key}} key, string? idempotencyKey = null) => this.Delete(global::OfflineSync.SyncKeys.Format(key), idempotencyKey);

                        /// <summary>Finds an item by its optimistic or server key.</summary>
                        /// <param name="key">The key.</param>
                        /// <param name="item">The item, when found.</param>
                        /// <returns>Whether the item was found.</returns>
                        public bool TryGet({{key}} key, [global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out {{self}}? item) => this.TryGet(global::OfflineSync.SyncKeys.Format(key), out item);
                    """);
            }

            writer.WriteLine("}");
        }
    }
}

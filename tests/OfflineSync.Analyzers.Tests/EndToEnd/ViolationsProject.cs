namespace OfflineSync.Analyzers.Tests.EndToEnd;

/// <summary>An app-like project with exactly one violation of each rule next to valid members.</summary>
internal static class ViolationsProject
{
    public const string Source = """
        using System.Collections.Generic;
        using OfflineSync;

        namespace E2E;

        [Syncable]
        public partial class User
        {
            public string Id { get; set; } = "";
            public string Name { get; set; } = "";
        }

        public class Tag
        {
            public string Id { get; set; } = "";
        }

        [Syncable]
        public partial class Todo
        {
            public string Id { get; set; } = "";
            public string Title { get; set; } = "";
            [References(typeof(User))] public string? OwnerId { get; set; }
            [References(typeof(User))] public List<string> WatcherIds { get; set; } = new();

            [References(typeof(Tag))] public List<string> TagIds { get; set; } = new();                  // OSYNC001
            [References(typeof(User))] public int ReviewerKey { get; set; }                              // OSYNC002
            [References(typeof(User))] public string? CreatorKey { get; }                                 // OSYNC003
            [References(typeof(User))] public Dictionary<string, string> ByRole { get; set; } = new();   // OSYNC004
            public string? UserId { get; set; }                                                           // OSYNC007
            public List<Reply> Replies { get; set; } = new();
        }

        public class Reply
        {
            [References(typeof(User))] public string AuthorKey { get; set; } = "";
            public List<Reply> Children { get; set; } = new();                                            // OSYNC008
        }

        [Syncable]
        public class Draft                                                                                // OSYNC005
        {
            public string Id { get; set; } = "";
        }

        [Syncable]
        public partial class Memo                                                                         // OSYNC006
        {
            public string Title { get; set; } = "";
        }

        [Syncable("users")]                                                                               // OSYNC009 (with User)
        public partial class Person
        {
            public string Id { get; set; } = "";
        }

        [SyncClient]
        public class AppSync                                                                              // OSYNC012
        {
        }

        [Syncable]
        public partial class Box<T>                                                                       // OSYNC013
        {
            public string Id { get; set; } = "";
        }

        [Syncable]
        public partial class Stamp
        {
            public string Id { get; set; } = "";
            [SyncVersion] public System.DateTime Version { get; set; }                                    // OSYNC014
        }
        """;

    /// <summary>Imports the generator and analyzers the way eng/UseOfflineSyncGenerator.props gives them to in-repo apps.</summary>
    public static string Project(string repoRoot) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <RepoRoot>{repoRoot}</RepoRoot>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
            <CompilerGeneratedFilesOutputPath>generated</CompilerGeneratedFilesOutputPath>
          </PropertyGroup>
          <Import Project="$(RepoRoot)eng/UseOfflineSyncGenerator.props" />
        </Project>
        """;
}

// Checks the packed packages in a folder (dotnet run eng/package-checks/check-packages.cs -- <folder>):
// no build-machine path in any packaged assembly or symbol file, source link to the public
// repository, a README and the MIT license expression in every package. Exit code 1 names each problem.
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;

const string DeterministicRoot = "/_/";
const string SourceLinkPrefix = "https://raw.githubusercontent.com/offlinesync/offlinesync/";
Guid sourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: check-packages.cs <folder with .nupkg and .snupkg files>");
    return 2;
}

var problems = new List<string>();
string[] packages = Directory.GetFiles(args[0], "*.nupkg");
if (packages.Length == 0)
{
    problems.Add($"no .nupkg in {args[0]}");
}

foreach (string package in packages)
{
    string name = Path.GetFileName(package);
    using ZipArchive nupkg = ZipFile.OpenRead(package);
    CheckNuspec(name, nupkg);
    foreach (ZipArchiveEntry dll in nupkg.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
    {
        CheckAssembly($"{name}/{dll.FullName}", Read(dll));
    }

    string symbols = Path.ChangeExtension(package, ".snupkg");
    if (!File.Exists(symbols))
    {
        problems.Add($"{name}: no symbol package {Path.GetFileName(symbols)}");
        continue;
    }

    using ZipArchive snupkg = ZipFile.OpenRead(symbols);
    ZipArchiveEntry[] pdbs = snupkg.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)).ToArray();
    if (pdbs.Length == 0)
    {
        problems.Add($"{Path.GetFileName(symbols)}: no PDB");
    }

    foreach (ZipArchiveEntry pdb in pdbs)
    {
        CheckPdb($"{Path.GetFileName(symbols)}/{pdb.FullName}", Read(pdb));
    }
}

foreach (string problem in problems)
{
    Console.Error.WriteLine("problem: " + problem);
}

Console.WriteLine($"{packages.Length} packages checked, {problems.Count} problems");
return problems.Count == 0 ? 0 : 1;

void CheckNuspec(string name, ZipArchive nupkg)
{
    ZipArchiveEntry? entry = nupkg.Entries.SingleOrDefault(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
    if (entry is null)
    {
        problems.Add($"{name}: no nuspec");
        return;
    }

    XElement metadata = XDocument.Load(new MemoryStream(Read(entry))).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    string? Element(string local) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == local)?.Value;
    if (Element("license") != "MIT")
    {
        problems.Add($"{name}: license is '{Element("license")}', expected the expression MIT");
    }

    string? readme = Element("readme");
    if (readme is null || nupkg.GetEntry(readme) is null)
    {
        problems.Add($"{name}: no README in the package");
    }

    string? repository = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url")?.Value;
    if (repository is null || !repository.StartsWith("https://", StringComparison.Ordinal))
    {
        problems.Add($"{name}: repository url is '{repository}'");
    }
}

void CheckAssembly(string name, byte[] image)
{
    using var pe = new PEReader(new MemoryStream(image));
    DebugDirectoryEntry[] codeViews = pe.ReadDebugDirectory().Where(e => e.Type == DebugDirectoryEntryType.CodeView).ToArray();
    foreach (DebugDirectoryEntry codeView in codeViews)
    {
        string path = pe.ReadCodeViewDebugDirectoryData(codeView).Path;
        if (!path.StartsWith(DeterministicRoot, StringComparison.Ordinal))
        {
            problems.Add($"{name}: PDB path {path} is a build-machine path");
        }
    }
}

void CheckPdb(string name, byte[] pdb)
{
    using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbImage(System.Collections.Immutable.ImmutableArray.Create(pdb));
    MetadataReader reader = provider.GetMetadataReader();
    string[] machinePaths = reader.Documents
        .Select(handle => reader.GetString(reader.GetDocument(handle).Name))
        .Where(document => !document.StartsWith(DeterministicRoot, StringComparison.Ordinal))
        .ToArray();
    if (machinePaths.Length > 0)
    {
        problems.Add($"{name}: {machinePaths.Length} source paths of the build machine, the first {machinePaths[0]}");
    }

    string? sourceLink = reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
        .Select(reader.GetCustomDebugInformation)
        .Where(info => reader.GetGuid(info.Kind) == sourceLinkKind)
        .Select(info => Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)))
        .FirstOrDefault();
    if (sourceLink is null || !sourceLink.Contains($"\"{DeterministicRoot}*\":\"{SourceLinkPrefix}", StringComparison.Ordinal))
    {
        problems.Add($"{name}: source link is '{sourceLink}', expected {DeterministicRoot}* -> {SourceLinkPrefix}<commit>/*");
    }
}

static byte[] Read(ZipArchiveEntry entry)
{
    using Stream stream = entry.Open();
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    return copy.ToArray();
}

using System.Text.RegularExpressions;

namespace CaseExchange.Tests.Architecture;

/// <summary>The service's source files, read as text with their string literals and comments blanked out.</summary>
public static partial class SourceTree
{
    public static readonly string Root = Path.Combine(RepositoryRoot(), "src", "CaseExchange");

    /// <summary>The wings: feature folders, each a namespace of its own.</summary>
    public static readonly string[] Wings = ["Councils", "Situations", "Seances", "Journal", "Statistics", "Retention", "Charter", "Protection", "Demo", "Notifications"];

    /// <summary>C# and Razor files under a folder of the service, path relative to the service's root ('/' separators).</summary>
    public static IEnumerable<(string Path, string Code)> Files(string folder, params string[] extensions) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*", SearchOption.AllDirectories)
            .Where(f => (extensions.Length == 0 ? [".cs", ".cshtml"] : extensions).Any(e => f.EndsWith(e, StringComparison.Ordinal)))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(f => (Path.GetRelativePath(Root, f).Replace('\\', '/'), WithoutLiteralsAndComments(File.ReadAllText(f))));

    /// <summary>The folders of the service a file names: by a using directive or a (partly) qualified name.</summary>
    public static IReadOnlySet<string> FoldersNamedIn(string code, IEnumerable<string> folders)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var pattern = $@"(using\s+CaseExchange\.{folder}\b)|(@using\s+CaseExchange\.{folder}\b)|((?<![\w.])(CaseExchange\.)?{folder}\.[A-Z])|(CaseExchange\.{folder}\b)";
            if (Regex.IsMatch(code, pattern)) named.Add(folder);
        }
        return named;
    }

    public static string WithoutLiteralsAndComments(string code)
    {
        code = BlockComment().Replace(code, " ");
        code = LineComment().Replace(code, "");
        code = VerbatimOrRawString().Replace(code, "\"\"");
        return StringLiteral().Replace(code, "\"\"");
    }

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"(?<!:)//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex("\"\"\".*?\"\"\"|@\"(?:[^\"]|\"\")*\"", RegexOptions.Singleline)]
    private static partial Regex VerbatimOrRawString();

    [GeneratedRegex(@"\$?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "CaseExchange.sln"))) return directory.FullName;
        throw new InvalidOperationException("CaseExchange.sln not found above the test binaries.");
    }
}

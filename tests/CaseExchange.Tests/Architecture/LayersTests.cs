using System.Reflection;
using System.Text.RegularExpressions;

namespace CaseExchange.Tests.Architecture;

/// <summary>
/// The floors of the house do not loop: <c>Http/</c> (the conventions every slice stands on) names no wing and not
/// <c>Hosting/</c> (composition); the wings reach <c>Hosting/</c> only through a short list of known doors; <c>Web/</c>
/// (the shared UI) names only the wings it is built for, and a few listed files more.
/// </summary>
public sealed class LayersTests
{
    /// <summary>What a wing may use of <c>Hosting/</c>: the database schema's name and, for command-line verbs, the embedded PostgreSQL they stop.</summary>
    public static readonly IReadOnlySet<string> HostingTypesWingsMayUse = new HashSet<string> { "Database", "EmbeddedPostgres" };

    /// <summary>The wings the whole shared UI is built on: the council's request context and member (Councils), the charter's lists (Charter).</summary>
    public static readonly IReadOnlySet<string> WingsOfTheSharedUi = new HashSet<string> { "Councils", "Charter" };

    /// <summary>Files of the shared UI that name one more wing, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> SharedUiExceptions = new Dictionary<string, string>
    {
        ["Web/Display.cs"] = "Seances",         // French labels of the agenda items' states
        ["Web/Charts/BarChart.cs"] = "Statistics", // the chart draws a statistics table
    };

    [Fact]
    public void Http_names_no_wing_nor_hosting()
    {
        var offenders = SourceTree.Files("Http")
            .Select(f => (f.Path, Named: SourceTree.FoldersNamedIn(f.Code, [.. SourceTree.Wings, "Hosting", "Web"])))
            .Where(f => f.Named.Count > 0)
            .Select(f => $"{f.Path} → {string.Join(", ", f.Named)}")
            .ToList();
        Assert.True(offenders.Count == 0, "Http/ must stand on nothing above it:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Http_types_expose_no_type_of_a_wing_nor_of_hosting()
    {
        var assembly = typeof(CaseExchange.Http.Problems).Assembly;
        bool Above(Type? t) => t?.Namespace is { } ns && ns.StartsWith("CaseExchange.", StringComparison.Ordinal)
                               && !ns.StartsWith("CaseExchange.Http", StringComparison.Ordinal);
        IEnumerable<Type> Exposed(Type type) =>
            type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .SelectMany(m => m switch
                {
                    FieldInfo f => [f.FieldType],
                    PropertyInfo p => [p.PropertyType],
                    MethodInfo mi => [mi.ReturnType, .. mi.GetParameters().Select(p => p.ParameterType)],
                    ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
                    _ => [],
                })
                .SelectMany(t => t.IsGenericType ? [t, .. t.GetGenericArguments()] : new[] { t });
        var offenders = assembly.GetTypes()
            .Where(t => t.Namespace == "CaseExchange.Http")
            .SelectMany(t => Exposed(t).Where(Above).Select(used => $"{t.Name} → {used.FullName}"))
            .Distinct()
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void Wings_reach_hosting_only_through_the_listed_doors()
    {
        var hostingTypes = typeof(CaseExchange.Hosting.EventStore).Assembly.GetTypes()
            .Where(t => t.Namespace == "CaseExchange.Hosting" && !t.IsNested && !t.Name.Contains('<'))
            .Select(t => t.Name.Split('`')[0])
            .ToHashSet();
        var offenders = new List<string>();
        foreach (var wing in SourceTree.Wings)
        foreach (var (path, code) in SourceTree.Files(wing))
        {
            if (SourceTree.FoldersNamedIn(code, ["Hosting"]).Count == 0) continue;
            var used = hostingTypes.Where(t => Regex.IsMatch(code, $@"(?<![\w]){Regex.Escape(t)}\b")).ToHashSet();
            var beyond = used.Except(HostingTypesWingsMayUse).ToList();
            if (beyond.Count > 0) offenders.Add($"{path} → Hosting.{string.Join(", Hosting.", beyond)}");
        }
        Assert.True(offenders.Count == 0, "Wings reach Hosting/ beyond the listed doors:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_shared_ui_names_only_the_wings_it_is_built_on()
    {
        var offenders = new List<string>();
        foreach (var (path, code) in SourceTree.Files("Web"))
        {
            var named = SourceTree.FoldersNamedIn(code, [.. SourceTree.Wings, "Hosting"]).Except(WingsOfTheSharedUi).ToHashSet();
            if (SharedUiExceptions.TryGetValue(path, out var allowed)) named.Remove(allowed);
            if (named.Count > 0) offenders.Add($"{path} → {string.Join(", ", named)}");
        }
        Assert.True(offenders.Count == 0, "Web/ keeps the shared UI only:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Web_pages_are_shared_pages_only()
    {
        var pages = SourceTree.Files("Web", ".cshtml")
            .Select(f => f.Path)
            .Where(p => p.StartsWith("Web/Pages/", StringComparison.Ordinal))
            .Order()
            .ToList();
        Assert.Equal(["Web/Pages/Accueil.cshtml", "Web/Pages/Erreur.cshtml"], pages);
    }
}

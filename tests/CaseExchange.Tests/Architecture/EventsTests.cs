using System.Reflection;
using System.Text.RegularExpressions;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Journal.Checkpoints;
using JasperFx.Events;

namespace CaseExchange.Tests.Architecture;

/// <summary>
/// Determinism on replay: every event carries its instant (replay never falls back to a database timestamp), and the
/// Apply/Create methods that fold events into aggregates and projections read the events only — no clock, no ids made
/// up, no services.
/// </summary>
public sealed partial class EventsTests
{
    private static readonly Assembly Service = typeof(Council).Assembly;

    /// <summary>Aggregates (types folding events into themselves, with a version) and projections.</summary>
    public static IReadOnlyList<Type> Folders { get; } = [.. Service.GetTypes().Where(t => t.IsClass && !t.IsAbstract && (IsAggregate(t) || IsProjection(t)))];

    /// <summary>
    /// Every type appended as an event: the events the aggregates and projections fold, the types mapped to pinned
    /// event names, and any type built inside an append or returned by a pure decision (<c>Decide…</c>).
    /// </summary>
    public static IReadOnlySet<Type> EventTypes { get; } = FindEventTypes();

    [Fact]
    public void The_events_are_found()
    {
        Assert.Contains(typeof(MemberRegistered), EventTypes);
        Assert.Contains(typeof(AccessJournalled), EventTypes);
        Assert.Contains(typeof(JournalCheckpointSealed), EventTypes);
        Assert.Contains(typeof(CaseExchange.Situations.SituationClosed), EventTypes);
        Assert.Contains(typeof(CaseExchange.Situations.NominativeDataErased), EventTypes);
        Assert.True(EventTypes.Count >= 30, $"Only {EventTypes.Count} event types found: {string.Join(", ", EventTypes.Select(t => t.Name))}");
        Assert.All(Folders, f => Assert.NotEqual(typeof(object), f));
        Assert.Contains(typeof(Member), Folders);
    }

    [Fact]
    public void Every_event_carries_its_instant()
    {
        var without = EventTypes
            .Where(t => !t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Any(p => p.PropertyType == typeof(DateTimeOffset) || p.PropertyType == typeof(DateTimeOffset?) && p.Name == "At"))
            .Select(t => t.FullName)
            .Order()
            .ToList();
        Assert.True(without.Count == 0, "Events without a DateTimeOffset instant:\n" + string.Join("\n", without));
    }

    [Fact]
    public void Apply_and_Create_take_events_only()
    {
        var offenders = new List<string>();
        foreach (var folder in Folders)
        foreach (var method in FoldingMethods(folder))
        foreach (var parameter in method.GetParameters())
        {
            var type = Unwrapped(parameter.ParameterType);
            var allowed = EventTypes.Contains(type) || type == folder || Folders.Contains(type) || IsEventMetadata(parameter.ParameterType);
            if (!allowed) offenders.Add($"{folder.Name}.{method.Name}({parameter.ParameterType.Name} {parameter.Name})");
        }
        Assert.True(offenders.Count == 0, "Apply/Create must read events only (no services):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Apply_and_Create_neither_read_a_clock_nor_make_up_ids()
    {
        var offenders = new List<string>();
        var scanned = 0;
        var names = Folders.Select(f => f.Name).ToHashSet();
        foreach (var (path, code) in SourceTree.Files("", ".cs"))
        {
            if (!names.Any(n => Regex.IsMatch(code, $@"\b(class|record)\s+{n}\b"))) continue;
            foreach (Match body in FoldingMethodBody().Matches(code))
            {
                var text = Body(code, body.Index + body.Length);
                scanned++;
                if (Forbidden().Match(text) is { Success: true } found) offenders.Add($"{path}: {body.Groups["name"].Value}(…) reads {found.Value}");
            }
        }
        Assert.True(scanned >= 20, $"Only {scanned} Apply/Create bodies found in the sources of {string.Join(", ", names)}");
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    private static bool IsAggregate(Type t) =>
        t.GetProperty("Version") is { PropertyType: var v } && (v == typeof(int) || v == typeof(long))
        && t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Any(m => m.Name == "Apply");

    private static bool IsProjection(Type t)
    {
        for (var b = t.BaseType; b is not null; b = b.BaseType)
            if (b.Namespace?.StartsWith("Marten", StringComparison.Ordinal) == true && b.Name.Contains("Projection")) return true;
        return t.GetInterfaces().Any(i => i.Name == "IProjection");
    }

    private static IEnumerable<MethodInfo> FoldingMethods(Type t) =>
        t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.Name is "Apply" or "Create" or "ShouldDelete" or "Evolve");

    private static Type Unwrapped(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEvent<>) ? t.GetGenericArguments()[0] : t;

    private static bool IsEventMetadata(Type t) => t == typeof(IEvent);

    private static HashSet<Type> FindEventTypes()
    {
        var events = new HashSet<Type>();
        foreach (var folder in Folders)
        foreach (var method in FoldingMethods(folder))
        foreach (var parameter in method.GetParameters())
        {
            var type = Unwrapped(parameter.ParameterType);
            if (type != folder && !Folders.Contains(type) && type.Assembly == Service) events.Add(type);
        }

        var byName = Service.GetTypes().Where(t => !t.IsNested && t.Namespace?.StartsWith("CaseExchange", StringComparison.Ordinal) == true)
            .GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.ToList());
        void Add(string name)
        {
            if (byName.TryGetValue(name, out var types))
                foreach (var t in types.Where(t => t.IsClass && !t.IsAbstract && t.GetProperties().Length > 0)) events.Add(t);
        }
        foreach (var (_, code) in SourceTree.Files("", ".cs"))
        {
            foreach (Match mapped in MappedEventType().Matches(code)) Add(mapped.Groups["type"].Value);
            foreach (Match append in AppendCall().Matches(code))
            {
                // Only what is appended itself, not what an event is built from (new Event(…, new Part(…))).
                var arguments = Arguments(code, append.Index + append.Length - 1);
                foreach (Match built in NewObject().Matches(arguments))
                    if (Depth(arguments[..built.Index]) == 1) Add(built.Groups["type"].Value);
            }
        }
        // What pure decisions return is appended.
        foreach (var method in Service.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
                     .Where(m => m.Name.StartsWith("Decide", StringComparison.Ordinal)))
        foreach (var returned in Flatten(method.ReturnType))
            if (returned.Assembly == Service && !Folders.Contains(returned)) events.Add(returned);
        return events;
    }

    private static IEnumerable<Type> Flatten(Type t)
    {
        // A decision that yields several events returns them bundled in a …Decision record: each of its parts is appended.
        if (t.Name.EndsWith("Decision", StringComparison.Ordinal))
            return t.GetProperties(BindingFlags.Public | BindingFlags.Instance).SelectMany(p => Flatten(p.PropertyType));
        if (!t.IsGenericType) return t.IsArray ? Flatten(t.GetElementType()!) : [t];
        return t.GetGenericArguments().SelectMany(Flatten);
    }

    private static int Depth(string prefix) =>
        prefix.Count(c => c is '(' or '[' or '{') - prefix.Count(c => c is ')' or ']' or '}');

    /// <summary>The text between the parenthesis at <paramref name="open"/> and its match.</summary>
    private static string Arguments(string code, int open)
    {
        var depth = 0;
        for (var i = open; i < code.Length; i++)
        {
            if (code[i] == '(') depth++;
            else if (code[i] == ')' && --depth == 0) return code[open..(i + 1)];
        }
        return code[open..];
    }

    /// <summary>An expression body (to its semicolon) or a block body (to its closing brace), from just after the parameter list.</summary>
    private static string Body(string code, int afterOpenParenthesis)
    {
        var parameters = Arguments(code, afterOpenParenthesis - 1);
        var i = afterOpenParenthesis - 1 + parameters.Length;
        while (i < code.Length && char.IsWhiteSpace(code[i])) i++;
        if (i < code.Length - 1 && code[i] == '=' && code[i + 1] == '>')
        {
            var end = code.IndexOf(';', i);
            return code[i..(end < 0 ? code.Length : end)];
        }
        if (i >= code.Length || code[i] != '{') return "";
        var depth = 0;
        for (var j = i; j < code.Length; j++)
        {
            if (code[j] == '{') depth++;
            else if (code[j] == '}' && --depth == 0) return code[i..(j + 1)];
        }
        return code[i..];
    }

    [GeneratedRegex(@"MapEventType<(?<type>\w+)>")]
    private static partial Regex MappedEventType();

    [GeneratedRegex(@"\.(Append|AppendOne|AppendMany|StartStream(<\w+>)?)\(")]
    private static partial Regex AppendCall();

    [GeneratedRegex(@"\bnew\s+(?<type>[A-Z]\w+)\s*\(")]
    private static partial Regex NewObject();

    [GeneratedRegex(@"\b(void|[A-Z]\w*\??)\s+(?<name>Apply|Create|Evolve|ShouldDelete)\s*\(")]
    private static partial Regex FoldingMethodBody();

    [GeneratedRegex(@"\b(DateTime(Offset)?\.(Now|UtcNow|Today)|TimeProvider|GetUtcNow|Guid\.NewGuid|Guid\.CreateVersion7|Random|Environment\.|IServiceProvider|IQuerySession|IDocumentSession)\b")]
    private static partial Regex Forbidden();
}

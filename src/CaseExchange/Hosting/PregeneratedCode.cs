using System.Reflection;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Model;
using JasperFx.RuntimeCompiler;
using Wolverine.Configuration;

namespace CaseExchange.Hosting;

/// <summary>
/// Wolverine's generated code (one class per endpoint and message handler), compiled into the service ahead of time
/// (<c>Internal/Generated</c>, written by <c>CaseExchange pregenerate</c>) and used only where it is current.
/// <para>
/// For each endpoint, Wolverine still generates the source, as in its Dynamic mode (cheap: tens of milliseconds); what
/// is saved is the compilation (Roslyn, most of a start). The pre-compiled class is used only when the source committed
/// for it is, character for character, the source generated now; otherwise the fresh source is compiled, exactly as
/// the Dynamic mode does, and a warning names the endpoint. So a stale pre-generated class, e.g. one written before a
/// middleware was added (authorisation, journal), is never run: it costs a compilation at start, never a guarantee.
/// Wolverine's own Static mode loads a class by its name, whatever the source it was compiled from; Auto mode too.
/// </para>
/// Settings: <c>Hosting:PregeneratedCode</c> (default true; false: compile everything at start, Wolverine's Dynamic mode).
/// </summary>
public sealed class PregeneratedCode : ITypeLoader
{
    public const string Setting = "Hosting:PregeneratedCode";
    public const string ResourcePrefix = "CaseExchange.Pregenerated.";
    public const string Folder = "Internal/Generated/WolverineHandlers";

    private readonly Assembly _assembly;
    private readonly IReadOnlyDictionary<string, string> _committed;
    private readonly Dictionary<ICodeFile, Outcome> _outcomes = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _generating = new();

    public PregeneratedCode(Assembly assembly) : this(assembly, CommittedSources(assembly)) { }

    internal PregeneratedCode(Assembly assembly, IReadOnlyDictionary<string, string> committed)
    {
        _assembly = assembly;
        _committed = committed;
    }

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(Setting, true);

    /// <summary>The sources compiled into the service (embedded beside their classes), by file name.</summary>
    public IReadOnlyDictionary<string, string> Committed => _committed;

    /// <summary>What happened to each code file initialised so far.</summary>
    public IReadOnlyList<Outcome> Outcomes
    {
        get { lock (_generating) return [.. _outcomes.Values]; }
    }

    /// <param name="FileName">The generated class's file name (Wolverine's, e.g. <c>GET_api_councils_council</c>).</param>
    /// <param name="Code">The source generated at this start.</param>
    /// <param name="Pregenerated">True: the committed class was used; false: the source was compiled at this start.</param>
    /// <param name="Reason">Why it was compiled (no committed source, or a different one).</param>
    /// <param name="Assembly">The assembly its class was taken from: the service's, or the one compiled at this start.</param>
    public sealed record Outcome(string FileName, string Code, bool Pregenerated, string? Reason, Assembly Assembly);

    public void Initialize(ICodeFile file, GenerationRules rules, ICodeFileCollection parent, IServiceProvider? services)
    {
        var @namespace = parent.ToNamespace(rules);
        // One file at a time, compilation included: Wolverine assembles a file's types once, and the container's
        // variables are shared by every file.
        lock (_generating)
        {
            // A file already initialised (an endpoint built, then asked again) is attached again, not generated.
            if (_outcomes.TryGetValue(file, out var known))
            {
                file.AttachTypesSynchronously(rules, known.Assembly, services, @namespace);
                return;
            }
            var (generated, code) = Generate(file, rules, parent, services);
            if (_committed.TryGetValue(file.FileName, out var committed) && committed == code
                && file.AttachTypesSynchronously(rules, _assembly, services, @namespace))
            {
                _outcomes[file] = new Outcome(file.FileName, code, true, null, _assembly);
                return;
            }

            var reason = _committed.ContainsKey(file.FileName) ? "the committed source differs" : "no committed source";
            Logger(services)?.LogWarning(
                "Generated code for {FileName} compiled at start ({Reason}): run eng/pregenerate.sh (README, \"Pre-generated Wolverine code\")",
                file.FileName, reason);
            Compile(generated, code);
            if (!file.AttachTypesSynchronously(rules, generated.Assembly!, services, @namespace))
                throw new ExpectedTypeMissingException($"The code compiled for {file.FileName} holds none of its types.");
            _outcomes[file] = new Outcome(file.FileName, code, false, reason, generated.Assembly!);
        }
    }

    public Task InitializeAsync(ICodeFile file, GenerationRules rules, ICodeFileCollection parent, IServiceProvider? services)
    {
        Initialize(file, rules, parent, services);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The file's source as Wolverine's <c>codegen write</c> and Dynamic mode generate it: its types assembled, the
    /// service provider the file asks for, the container's variables.
    /// </summary>
    private static (GeneratedAssembly, string) Generate(ICodeFile file, GenerationRules rules, ICodeFileCollection parent, IServiceProvider? services)
    {
        var generated = parent.StartAssembly(rules);
        file.AssembleTypes(generated);
        var variables = parent is ICodeFileCollectionWithServices
            ? services?.GetService(typeof(IServiceVariableSource)) as IServiceVariableSource
            : null;
        if (variables is not null)
        {
            variables.ResetServiceProvider();
            if (file.TryReplaceServiceProvider(out var provider)) variables.ReplaceServiceProvider(provider);
        }
        var code = generated.GenerateCode(variables);
        if (variables?.ServiceLocations() is { Length: > 0 } locations) file.AssertServiceLocationsAreAllowed(locations, services);
        return (generated, code);
    }

    /// <summary>Compiles the source generated now, with the references Wolverine's runtime compilation gives it.</summary>
    private static void Compile(GeneratedAssembly generated, string code)
    {
        var compiler = new AssemblyGenerator();
        compiler.ReferenceAssembly(typeof(Task).Assembly);
        foreach (var assembly in generated.Rules.Assemblies) compiler.ReferenceAssembly(assembly);
        foreach (var assembly in generated.AllReferencedAssemblies()) compiler.ReferenceAssembly(assembly);
        foreach (var assembly in generated.GeneratedTypes.SelectMany(t => t.AssemblyReferences())) compiler.ReferenceAssembly(assembly);
        generated.AttachAssembly(compiler.Generate(code));
    }

    /// <summary>
    /// Every endpoint and message handler of the service, initialised (through this loader): what <c>pregenerate</c>
    /// writes and the currency test compares, by file name.
    /// </summary>
    public IReadOnlyList<Outcome> InitializeAll(IServiceProvider services)
    {
        foreach (var collection in CodeFileCollections(services))
        foreach (var file in collection.BuildFiles().Where(f => f is IChain))
        {
            bool known;
            lock (_generating) known = _outcomes.ContainsKey(file);
            if (!known) file.InitializeSynchronously(collection.Rules, collection, services);
        }
        return [.. Outcomes.OrderBy(o => o.FileName, StringComparer.Ordinal)];
    }

    private static IEnumerable<ICodeFileCollection> CodeFileCollections(IServiceProvider services)
    {
        var collections = new List<ICodeFileCollection>();
        foreach (var collection in services.GetServices<ICodeFileCollection>())
        {
            if (collection is WolverineSupplementalCodeFiles supplemental) collections.AddRange(supplemental.Collections);
            else collections.Add(collection);
        }
        return collections.Distinct(ReferenceEqualityComparer.Instance).Cast<ICodeFileCollection>();
    }

    private static IReadOnlyDictionary<string, string> CommittedSources(Assembly assembly)
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".cs", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            sources[name[ResourcePrefix.Length..^".cs".Length]] = reader.ReadToEnd();
        }
        return sources;
    }

    private static ILogger? Logger(IServiceProvider? services) =>
        services?.GetService(typeof(ILogger<PregeneratedCode>)) as ILogger;
}

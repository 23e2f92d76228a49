using System.Net;
using CaseExchange.Hosting;
using CaseExchange.Tests.Infrastructure;
using JasperFx.CodeGeneration;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Configuration;
using Wolverine.Http;

namespace CaseExchange.Tests.Hosting;

/// <summary>
/// Wolverine's code compiled in ahead of time (Hosting/PregeneratedCode.cs): current, and never run where its source is
/// not the one generated at start.
/// </summary>
public sealed class PregeneratedCodeTests
{
    [Fact]
    public async Task The_committed_code_is_the_code_generated_now_for_every_endpoint_and_handler()
    {
        var service = await SuiteService.ViewAsync();
        var code = service.Services.GetRequiredService<PregeneratedCode>();

        var outcomes = code.InitializeAll(service.Services);

        var compiled = outcomes.Where(o => !o.Pregenerated).Select(o => $"{o.FileName} ({o.Reason})").ToList();
        var orphans = code.Committed.Keys.Except(outcomes.Select(o => o.FileName)).Order(StringComparer.Ordinal).ToList();
        Assert.True(compiled.Count == 0 && orphans.Count == 0,
            "The pre-generated Wolverine code is not current: run eng/pregenerate.sh and commit src/CaseExchange/Internal/Generated.\n" +
            $"Compiled at start instead: {string.Join(", ", compiled)}\nCommitted for no endpoint: {string.Join(", ", orphans)}");
        Assert.True(outcomes.Count > 90, $"{outcomes.Count} generated classes only: endpoints missing from the service?");
    }

    [Fact]
    public async Task A_committed_class_whose_source_is_not_the_one_generated_now_is_not_run()
    {
        // A service of its own: the endpoint below must not have been built yet (the warm-up is off in the tests).
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("pregen");
        await using var service = await TestService.StartAsync(database);
        var graph = service.Services.GetRequiredService<WolverineSupplementalCodeFiles>().Collections.OfType<HttpGraph>().Single();
        ICodeFile chain = graph.Chains.Single(c => c.RoutePattern!.RawText == "/api/councils/{council}/members" && c.HttpMethods.Contains("GET"));
        var assembly = typeof(PregeneratedCode).Assembly;
        var registered = service.Services.GetRequiredService<PregeneratedCode>();
        Assert.True(registered.Committed.ContainsKey(chain.FileName), "The endpoint has a committed class.");
        // As if the class had been generated before a middleware was added: same name, another source.
        var stale = registered.Committed.ToDictionary(c => c.Key, c => c.Key == chain.FileName ? c.Value.Replace("await ", "await  ") : c.Value);
        var loader = new PregeneratedCode(assembly, stale);
        graph.Rules.Loader = loader;

        // The endpoint is built on its first request, through the loader. It runs the class compiled now: it answers
        // (no member of this council: refused), not a server error.
        var answer = await service.GetAsync("nobody", "/api/councils/none/members");
        Assert.True(answer.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{(int)answer.StatusCode}");

        var outcome = Assert.Single(loader.Outcomes);
        Assert.False(outcome.Pregenerated);
        Assert.Equal("the committed source differs", outcome.Reason);
        Assert.NotSame(assembly, outcome.Assembly);
        Assert.NotEqual(stale[chain.FileName], outcome.Code);
        Assert.Contains($"class {chain.FileName} ", outcome.Code);
    }
}

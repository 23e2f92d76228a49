using System.Reflection;
using CaseExchange.Journal;
using CaseExchange.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Http;

namespace CaseExchange.Tests.Journal;

public sealed class NominativeEndpointsFixture : JournalFixture
{
    protected override string Code => "nominatif";
}

/// <summary>
/// Finds every endpoint whose response can carry nominative data in clear (API operations and pages) and calls it:
/// each call must leave one more granted entry in the journal. A new such endpoint fails this test until it has a call here, and then until it
/// journals.
/// </summary>
public sealed class EveryNominativeEndpointIsJournalledTests(NominativeEndpointsFixture fixture) : IClassFixture<NominativeEndpointsFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    /// <summary>A successful call to each nominative endpoint, by someone entitled; returns the situation it touched.</summary>
    private static readonly IReadOnlyDictionary<string, Func<NominativeEndpointsFixture, Task<(HttpResponseMessage Response, Guid Situation)>>> Calls =
        new Dictionary<string, Func<NominativeEndpointsFixture, Task<(HttpResponseMessage, Guid)>>>
        {
            ["POST /api/councils/{council}/situations/{situationId}/file-openings"] = async f =>
            {
                var situation = await f.Steps.ReferredAsync();
                return (await f.Service.OpenFileAsync(f.Council, f.Council.MemberOfHoldingGroup, situation), situation);
            },
            ["POST /api/councils/{council}/access-requests"] = f => AccessRequestAsync(f, "access-requests"),
            ["POST /api/councils/{council}/access-requests/document"] = f => AccessRequestAsync(f, "access-requests/document"),
            ["POST /api/councils/{council}/right-of-access/requests/{requestId}/answer"] = async f =>
            {
                var recorded = await CaseExchange.Tests.Retention.AccessRequestSteps.RecordAsync(f.Service, f.Council);
                return await AccessRequestAsync(f, $"right-of-access/requests/{recorded.RequestId}/answer");
            },
            ["PAGE /c/{council}/droit-acces/demandes/{requestId:guid}"] = async f =>
            {
                var recorded = await CaseExchange.Tests.Retention.AccessRequestSteps.RecordAsync(f.Service, f.Council);
                var person = TestPerson.Distinctive($"Dem{Guid.NewGuid():N}"[..14]);
                var (situation, _) = await f.Council.ReferAsync(f.Service, person, "Faits pour une demande enregistrée");
                using var coordonnateur = await f.Service.PageClientAsync(f.Council.Coordonnateur);
                var page = $"/c/{f.Council.Code}/droit-acces/demandes/{recorded.RequestId}";
                var response = await coordonnateur.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(coordonnateur, page),
                    ["Input.Nom"] = person.Nom, ["Input.Prenom"] = person.Prenom, ["Input.DateNaissance"] = person.DateNaissance.ToString("yyyy-MM-dd"),
                }), TestContext.Current.CancellationToken);
                return (response, situation);
            },
            ["PAGE /c/{council}/situations/{situationId:guid}"] = async f =>
            {
                var situation = await f.Steps.ReferredAsync();
                using var member = await f.Service.PageClientAsync(f.Council.MemberOfHoldingGroup);
                var page = $"/c/{f.Council.Code}/situations/{situation}";
                var token = await Pages.AntiforgeryTokenAsync(member, page);
                var response = await member.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token, ["Input.Purpose"] = JournalTestSupport.Purpose,
                }));
                return (response, situation);
            },
            ["PAGE /c/{council}/droit-acces"] = async f =>
            {
                var person = TestPerson.Distinctive($"Page{Guid.NewGuid():N}"[..14]);
                var (situation, _) = await f.Council.ReferAsync(f.Service, person, "Faits pour la page du droit d'accès");
                using var coordonnateur = await f.Service.PageClientAsync(f.Council.Coordonnateur);
                var page = $"/c/{f.Council.Code}/droit-acces";
                var response = await coordonnateur.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(coordonnateur, page),
                    ["Input.Nom"] = person.Nom, ["Input.Prenom"] = person.Prenom, ["Input.DateNaissance"] = person.DateNaissance.ToString("yyyy-MM-dd"),
                }));
                return (response, situation);
            },
        };

    /// <summary>The right of access for a person concerned by exactly one situation: one export journalled.</summary>
    private static async Task<(HttpResponseMessage, Guid)> AccessRequestAsync(NominativeEndpointsFixture f, string route)
    {
        var person = TestPerson.Distinctive($"Acces{Guid.NewGuid():N}"[..14]);
        var (situation, _) = await f.Council.ReferAsync(f.Service, person, "Faits pour le droit d'accès");
        var response = await f.Service.PostAsync(f.Council.Coordonnateur, $"{f.Council.Api}/{route}",
            new { nom = person.Nom, prenom = person.Prenom, dateNaissance = person.DateNaissance });
        return (response, situation);
    }

    [Fact]
    public async Task Every_endpoint_returning_nominative_data_journals_each_call()
    {
        var endpoints = Service.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var api = endpoints
            .Select(e => e.Metadata.GetMetadata<HttpChain>())
            .OfType<HttpChain>()
            .Where(chain => NominativeData.CanBeReturnedBy(chain.Method.Method))
            .SelectMany(chain => chain.HttpMethods.Select(method => $"{method} /{chain.RoutePattern!.RawText!.TrimStart('/')}"));
        // The pages render what their model holds: a page whose model can hold nominative data is an access path too.
        var pages = endpoints
            .Select(e => e.Metadata.GetMetadata<CompiledPageActionDescriptor>())
            .OfType<CompiledPageActionDescriptor>()
            .Where(page => NominativeData.CanBeRenderedBy(page.ModelTypeInfo!.AsType()))
            .Select(page => $"PAGE /{page.AttributeRouteInfo!.Template!.TrimStart('/')}");
        var nominative = api.Concat(pages).Distinct().Order().ToList();
        var stale = Calls.Keys.Except(nominative).ToList();
        Assert.True(stale.Count == 0, "Calls for endpoints not found as nominative: " + string.Join(", ", stale));

        var failures = new List<string>();
        foreach (var endpoint in nominative)
        {
            if (!Calls.TryGetValue(endpoint, out var call))
            {
                failures.Add($"{endpoint}: returns nominative data but this test does not call it; add a call to prove it is journalled");
                continue;
            }
            // Server-side checks (a right-of-access search decrypts every live situation) are journalled apart: not counted here.
            var before = (await Service.JournalAsync(Council.Code)).Count(e => e.Action != JournalActions.ServerCheck);
            var (response, situation) = await call(fixture);
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{endpoint}: the call was not successful ({(int)response.StatusCode})");
                continue;
            }
            var journal = (await Service.JournalAsync(Council.Code)).Where(e => e.Action != JournalActions.ServerCheck).ToList();
            if (journal.Count != before + 1 || journal[^1] is not { Granted: true } entry || entry.SituationId != situation)
                failures.Add($"{endpoint}: answered with nominative data without journalling one granted access to that situation");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_detection_sees_the_nominative_file_and_an_identity_nested_in_a_response_but_not_anonymised_views()
    {
        Assert.True(NominativeData.CanBeReturnedBy(typeof(Probes).GetMethod(nameof(Probes.File))!));
        Assert.True(NominativeData.CanBeReturnedBy(typeof(Probes).GetMethod(nameof(Probes.Nested))!));
        Assert.True(NominativeData.CanBeReturnedBy(typeof(Probes).GetMethod(nameof(Probes.Marked))!));
        Assert.False(NominativeData.CanBeReturnedBy(typeof(Probes).GetMethod(nameof(Probes.Anonymised))!));
    }

    private static class Probes
    {
        public static Task<CaseExchange.Situations.Viewing.NominativeSituationFile> File() => null!;
        public static Task<IReadOnlyList<Wrapper>> Nested() => null!;
        [ReturnsNominativeData] public static Task<Microsoft.AspNetCore.Http.IResult> Marked() => null!;
        public static Task<CaseExchange.Situations.Viewing.SituationPage> Anonymised() => null!;
    }

    private sealed record Wrapper(string Label, IReadOnlyList<CaseExchange.Situations.Viewing.PersonInFile> Persons);
}

/// <summary>Whether an endpoint's response can carry nominative data in clear, from its method and response type graph.</summary>
public static class NominativeData
{
    public static bool CanBeReturnedBy(MethodInfo method) =>
        method.IsDefined(typeof(ReturnsNominativeDataAttribute)) || Carries(method.ReturnType, []);

    /// <summary>A page model's own properties (not those of ASP.NET Core's base class) are what its page can render.</summary>
    public static bool CanBeRenderedBy(Type pageModel) =>
        pageModel.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType?.Namespace?.StartsWith("CaseExchange", StringComparison.Ordinal) == true)
            .Any(p => Carries(p.PropertyType, []));

    private static bool Carries(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type)) return false;
        if (type.IsDefined(typeof(ReturnsNominativeDataAttribute)) || type.Name.EndsWith("InClear", StringComparison.Ordinal)) return true;
        if (type.IsArray) return Carries(type.GetElementType()!, seen);
        if (type.IsGenericType && type.GetGenericArguments().Any(argument => Carries(argument, seen))) return true;
        // Our own types: look inside; framework types are leaves (their generic arguments were seen above).
        return type.Namespace?.StartsWith("CaseExchange", StringComparison.Ordinal) == true
               && type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => Carries(p.PropertyType, seen));
    }
}

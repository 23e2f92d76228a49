using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.CompteRendu;

/// <summary>One CR version opened for reading: its content as generated, and that content's hash.</summary>
public sealed record OpenedCompteRendu(int Number, CompteRenduContent Content, string ContentHash);

/// <summary>Every version of a séance's CR stays downloadable, in each format, as it was generated.</summary>
public static class DownloadCompteRenduEndpoints
{
    [WolverineGet("/api/councils/{council}/seances/{seanceId}/compte-rendu", Summary = "Les versions du compte rendu de la séance"), Tags("Séances")]
    public static async Task<IReadOnlyList<CompteRenduVersionView>> List(string council, Guid seanceId, ClaimsPrincipal user,
        IQuerySession session, CharterPolicy policy)
    {
        var (_, seance) = await RequireReaderAsync(user, session, policy, seanceId);
        return [.. seance.CompteRendus.OrderByDescending(v => v.Number).Select(v => SeanceEndpoints.VersionView(council, seanceId, v))];
    }

    [WolverineGet("/api/councils/{council}/seances/{seanceId}/compte-rendu/{number}/{format}", Summary = "Télécharger une version du compte rendu (docx, html ou md)"), Tags("Séances")]
    public static async Task<IResult> Download(string council, Guid seanceId, int number, string format, ClaimsPrincipal user,
        IQuerySession session, CharterPolicy policy, CompteRenduKeys keys, HttpContext http)
    {
        var (_, seance) = await RequireReaderAsync(user, session, policy, seanceId);
        if (!CompteRenduFormats.All.Contains(format))
            throw Problems.NotFound("Format inconnu : les comptes rendus sont disponibles en docx, html et md.");
        var generated = await OpenVersionAsync(session, keys, seance, number);
        var file = CompteRenduFormats.Render(generated.Content, format);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'";
        http.Response.Headers["X-Content-Hash"] = generated.ContentHash;
        return Results.File(file.Bytes, file.ContentType, file.FileName);
    }

    /// <summary>
    /// One version as generated, for whoever may read the CR: the pages render its content (escaped) as a preview.
    /// Not an endpoint; the same checks as <see cref="Download"/>.
    /// </summary>
    public static async Task<OpenedCompteRendu> Version(Guid seanceId, int number, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy,
        CompteRenduKeys keys)
    {
        var (_, seance) = await RequireReaderAsync(user, session, policy, seanceId);
        return await OpenVersionAsync(session, keys, seance, number);
    }

    /// <summary>A version's content, opened under its key: 404 if there is no such version, 410 once withdrawn.</summary>
    internal static async Task<OpenedCompteRendu> OpenVersionAsync(IQuerySession session, CompteRenduKeys keys, Seance seance, int number)
    {
        var version = seance.CompteRendus.FirstOrDefault(v => v.Number == number)
                      ?? throw Problems.NotFound("Cette version du compte rendu n'existe pas.");
        if (version.Withdrawn) throw new ProblemException(CompteRenduKeys.Withdrawn());
        var events = await session.Events.FetchStreamAsync(seance.Id);
        var generated = events.Select(e => e.Data).OfType<CompteRenduGenerated>().Single(g => g.Number == number);
        var content = generated.SealedContent is { } sealedContent
            ? await keys.OpenAsync<CompteRenduContent>(session.TenantId, seance.Id, number, sealedContent)
            : generated.Content ?? throw new ProblemException(CompteRenduKeys.Withdrawn());
        return new OpenedCompteRendu(number, content, generated.ContentHash);
    }

    private static async Task<(Actor Actor, Seance Seance)> RequireReaderAsync(ClaimsPrincipal user, IQuerySession session, CharterPolicy policy, Guid seanceId)
    {
        var actor = await Actor.RequireAsync(user, session);
        var seance = await session.LoadAsync<Seance>(seanceId) ?? throw Problems.NotFound("Séance introuvable dans ce conseil.");
        var group = await session.LoadAsync<Group>(seance.GroupId);
        actor.Require(AccessRules.ReadCompteRendu(policy, actor.Member, actor.Council, group));
        return (actor, seance);
    }
}

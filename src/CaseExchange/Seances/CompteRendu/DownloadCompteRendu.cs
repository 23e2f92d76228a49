using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Hosting;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.CompteRendu;

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
        IQuerySession session, CharterPolicy policy, HttpContext http)
    {
        var (_, seance) = await RequireReaderAsync(user, session, policy, seanceId);
        if (!CompteRenduFormats.All.Contains(format))
            throw Problems.NotFound("Format inconnu : les comptes rendus sont disponibles en docx, html et md.");
        var generated = await LoadVersionAsync(session, seance, number);
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
    public static async Task<CompteRenduGenerated> Version(Guid seanceId, int number, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy)
    {
        var (_, seance) = await RequireReaderAsync(user, session, policy, seanceId);
        return await LoadVersionAsync(session, seance, number);
    }

    private static async Task<CompteRenduGenerated> LoadVersionAsync(IQuerySession session, Seance seance, int number)
    {
        if (seance.CompteRendus.All(v => v.Number != number))
            throw Problems.NotFound("Cette version du compte rendu n'existe pas.");
        var events = await session.Events.FetchStreamAsync(seance.Id);
        return events.Select(e => e.Data).OfType<CompteRenduGenerated>().Single(g => g.Number == number);
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

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
    public static Task<IReadOnlyList<CompteRenduVersionView>> List(Guid seanceId, CouncilRequest request) =>
        ListCompteRendusUseCase.HandleAsync(request, seanceId);

    [WolverineGet("/api/councils/{council}/seances/{seanceId}/compte-rendu/{number}/{format}", Summary = "Télécharger une version du compte rendu (docx, html ou md)"), Tags("Séances")]
    public static Task<IResult> Download(Guid seanceId, int number, string format, CouncilRequest request, CompteRenduKeys keys) =>
        DownloadCompteRenduUseCase.HandleAsync(request, seanceId, number, format, keys);
}

/// <summary>The versions of a séance's CR, the latest first, for whoever may read the CR.</summary>
public static class ListCompteRendusUseCase
{
    public static async Task<IReadOnlyList<CompteRenduVersionView>> HandleAsync(CouncilRequest request, Guid seanceId)
    {
        var seance = await DownloadCompteRenduUseCase.RequireReaderAsync(request, seanceId);
        return [.. seance.CompteRendus.OrderByDescending(v => v.Number).Select(v => CompteRenduVersionView.Of(request.Council, seanceId, v))];
    }
}

/// <summary>One CR version as a file, or opened for the pages' preview: for whoever may read the CR (the group, the coordonnateur).</summary>
public static class DownloadCompteRenduUseCase
{
    public static async Task<IResult> HandleAsync(CouncilRequest request, Guid seanceId, int number, string format, CompteRenduKeys keys)
    {
        var seance = await RequireReaderAsync(request, seanceId);
        if (!CompteRenduFormats.All.Contains(format))
            throw Problems.NotFound("Format inconnu : les comptes rendus sont disponibles en docx, html et md.");
        var generated = await OpenVersionAsync(request.Session, keys, seance, number, request.Cancellation);
        return new CompteRenduDownload(CompteRenduFormats.Render(generated.Content, format), generated.ContentHash);
    }

    /// <summary>
    /// One version as generated, for whoever may read the CR: the pages render its content (escaped) as a preview.
    /// Not an endpoint; the same checks as <see cref="HandleAsync"/>.
    /// </summary>
    public static async Task<OpenedCompteRendu> OpenAsync(CouncilRequest request, Guid seanceId, int number, CompteRenduKeys keys)
    {
        var seance = await RequireReaderAsync(request, seanceId);
        return await OpenVersionAsync(request.Session, keys, seance, number, request.Cancellation);
    }

    /// <summary>A version's content, opened under its key: 404 if there is no such version, 410 once withdrawn.</summary>
    internal static async Task<OpenedCompteRendu> OpenVersionAsync(IQuerySession session, CompteRenduKeys keys, Seance seance, int number,
        CancellationToken cancellation = default)
    {
        var version = seance.CompteRendus.FirstOrDefault(v => v.Number == number)
                      ?? throw Problems.NotFound("Cette version du compte rendu n'existe pas.");
        if (version.Withdrawn) throw new ProblemException(CompteRenduKeys.Withdrawn());
        var events = await session.Events.FetchStreamAsync(seance.Id, token: cancellation);
        var generated = events.Select(e => e.Data).OfType<CompteRenduGenerated>().Single(g => g.Number == number);
        var content = generated.SealedContent is { } sealedContent
            ? await keys.OpenAsync<CompteRenduContent>(session.TenantId, seance.Id, number, sealedContent, cancellation)
            : generated.Content ?? throw new ProblemException(CompteRenduKeys.Withdrawn());
        return new OpenedCompteRendu(number, content, generated.ContentHash);
    }

    /// <summary>The séance, for whoever may read its CR under the charter.</summary>
    internal static async Task<Seance> RequireReaderAsync(CouncilRequest request, Guid seanceId)
    {
        var (session, actor) = (request.Session, request.Actor);
        var seance = await session.LoadAsync<Seance>(seanceId, request.Cancellation) ?? throw Problems.NotFound("Séance introuvable dans ce conseil.");
        var group = await session.LoadAsync<Group>(seance.GroupId, request.Cancellation);
        actor.Require(AccessRules.ReadCompteRendu(request.Policy, actor.Member, actor.Council, group));
        return seance;
    }

    /// <summary>The file with the headers every CR download carries: never cached, never sniffed, no script, its content's hash.</summary>
    private sealed class CompteRenduDownload(CompteRenduFile file, string contentHash) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'";
            http.Response.Headers["X-Content-Hash"] = contentHash;
            return Results.File(file.Bytes, file.ContentType, file.FileName).ExecuteAsync(http);
        }
    }
}

using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Seances.Agenda;
using CaseExchange.Seances.Paperwork;
using CaseExchange.Situations;
using CaseExchange.Situations.Viewing;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Convocation;

/// <summary><c>Urgent</c>: the séance is convened without the eight days' notice (règlement intérieur, article 6).</summary>
public sealed record ConveneSeance(bool Urgent, long? ExpectedVersion);

public sealed record ConvocationCreatedResponse(
    Guid SeanceId, int Number, bool Urgent, DateTimeOffset ConvenedAt, IReadOnlyDictionary<string, string> Downloads, long Version, string Url)
    : CreationResponse(Url);

public static class ConvocationEndpoints
{
    [WolverinePost("/api/councils/{council}/seances/{seanceId}/convocations", Summary = "Établir la convocation de la séance (ODJ anonymisé)"), Tags("Séances")]
    public static Task<ConvocationCreatedResponse> Post(Guid seanceId, ConveneSeance command, CouncilRequest request) =>
        ConveneSeanceUseCase.HandleAsync(request, seanceId, command);

    [WolverineGet("/api/councils/{council}/seances/{seanceId}/convocations/{number}/{format}", Summary = "Télécharger une convocation (docx, pdf ou html)"), Tags("Séances")]
    public static Task<IResult> Download(Guid seanceId, int number, string format, CouncilRequest request) =>
        DownloadConvocationUseCase.HandleAsync(request, seanceId, number, format);
}

/// <summary>
/// The convocation: established by those who prepare the séance, at least eight days before it — or without delay when
/// the séance is convened in urgency, as the règlement intérieur (article 6) allows: "La convocation et l'ordre du jour
/// sont adressés aux membres au moins huit jours avant la séance. En cas d'urgence, une séance peut être convoquée sans
/// délai". It holds the ODJ as it stands (pseudonyms and labels), the place and time, and the charter's confidentiality rule.
/// </summary>
public static class ConveneSeanceUseCase
{
    public const int NoticeDays = 8;

    public static async Task<ConvocationCreatedResponse> HandleAsync(CouncilRequest request, Guid seanceId, ConveneSeance command)
    {
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId);
        Check(command).ThrowIfAny();
        target.RequireVersion(command.ExpectedVersion);
        var onAgenda = await request.Session.Query<Situation>().Where(s => s.Agenda.Any(a => a.SeanceId == seanceId)).ToListAsync(request.Cancellation);
        var convened = Decide(target.Seance, target.Group, request.Actor.Council, request.Policy, onAgenda, command, request.Actor.Id, request.Now);
        var version = target.Append(convened);
        var url = $"/api/councils/{request.Council}/seances/{seanceId}/convocations/{convened.Number}";
        return new ConvocationCreatedResponse(seanceId, convened.Number, convened.Urgent, convened.At,
            PaperDocument.Formats.ToDictionary(f => f, f => $"{url}/{f}"), version, $"{url}/{PaperDocument.Docx}");
    }

    public static ValidationErrors Check(ConveneSeance command) => SeanceForWriting.CheckExpectedVersion(command.ExpectedVersion);

    /// <summary>Whole days, in French time, from today to the séance's day.</summary>
    public static int DaysBefore(DateTimeOffset seanceDate, DateTimeOffset now) =>
        DateOnly.FromDateTime(FrenchTime.Local(seanceDate).DateTime).DayNumber - DateOnly.FromDateTime(FrenchTime.Local(now).DateTime).DayNumber;

    /// <summary>Why the convocation is too late, or null: fewer than eight days before the séance and not urgent.</summary>
    public static string? TooLate(DateTimeOffset seanceDate, DateTimeOffset now, bool urgent)
    {
        var days = DaysBefore(seanceDate, now);
        if (urgent || days >= NoticeDays) return null;
        return $"La convocation doit être adressée aux membres au moins huit jours avant la séance (règlement intérieur, article 6) ; " +
               $"la séance a lieu dans {days} jour{(days > 1 ? "s" : "")}. Reportez-la, ou, en cas d'urgence, convoquez-la en urgence (sans délai).";
    }

    /// <summary>An open séance still to come, with a place, convened in time (or in urgency): the ODJ as it stands, frozen.</summary>
    public static SeanceConvened Decide(Seance seance, Group group, Council council, CharterPolicy policy, IEnumerable<Situation> placedOnIt,
        ConveneSeance command, Guid by, DateTimeOffset now)
    {
        SeanceForWriting.RequireOpen(seance, "elle ne peut plus être convoquée.");
        if (DaysBefore(seance.Date, now) < 0) throw Problems.OutOfOrder("La séance a déjà eu lieu : elle ne peut plus être convoquée.");
        if (string.IsNullOrWhiteSpace(seance.Place)) throw Problems.OutOfOrder("Indiquez le lieu de la séance avant d'établir sa convocation.");
        if (TooLate(seance.Date, now, command.Urgent) is { } late) throw Problems.OutOfOrder(late);

        var items = placedOnIt
            .Where(s => s.Agenda.Any(a => a.SeanceId == seance.Id && a.Pending))
            .OrderBy(s => s.Pseudonym, StringComparer.Ordinal)
            .Select(s => new ConvocationItem(s.Pseudonym,
                [.. s.AgeBands.Select(code => policy.AgeBands.FirstOrDefault(b => b.Code == code)?.Label ?? code)],
                [.. s.Reasons.Select(policy.ReferralReasons.LabelOf)],
                council.Sectors.FirstOrDefault(x => x.Code == s.Sector)?.Label ?? s.Sector,
                policy.Urgencies.LabelOf(s.Urgency)))
            .ToList();
        var number = seance.Convocations.Count + 1;
        var content = new ConvocationContent(council.Name, group.Name, seance.Date, seance.Place!, number, command.Urgent, now, items,
            [.. seance.GeneralItems.Select(i => $"{GeneralPart.GeneralItemKinds.LabelOf(i.Kind)} : {i.Text}")]);
        return new SeanceConvened(seance.Id, number, command.Urgent, content, by, now);
    }
}

/// <summary>A convocation as a file, for whoever reads the séance (its group under the charter, the coordonnateur, the auditeur).</summary>
public static class DownloadConvocationUseCase
{
    public static async Task<IResult> HandleAsync(CouncilRequest request, Guid seanceId, int number, string format)
    {
        var session = request.Session;
        var scope = await AnonymisedScope.RequireAsync(request);
        var seance = await session.LoadAsync<Seance>(seanceId, request.Cancellation);
        if (seance is null || !scope.Covers(seance.GroupId)) throw Problems.NotFound("Séance introuvable dans ce conseil.");
        if (!PaperDocument.Formats.Contains(format)) throw Problems.NotFound("Format inconnu : les convocations sont disponibles en docx, pdf et html.");
        if (seance.Convocations.All(c => c.Number != number)) throw Problems.NotFound("Cette convocation n'existe pas.");
        var events = await session.Events.FetchStreamAsync(seanceId, token: request.Cancellation);
        var convened = events.Select(e => e.Data).OfType<SeanceConvened>().Single(c => c.Number == number);
        return new PaperDownload(convened.Content.ToDocument().Render(format, convened.Content.FileStem));
    }
}

/// <summary>A paperwork file with the headers every séance document carries: never cached, never sniffed, no script.</summary>
public sealed class PaperDownload(PaperFile file) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'";
        return Results.File(file.Bytes, file.ContentType, file.FileName).ExecuteAsync(http);
    }
}

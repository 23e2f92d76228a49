using CaseExchange.Charter;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Sectors;

/// <summary>A sector; in an intercommunal council, the commune it lies in (optional: none recorded means the council's own).</summary>
public sealed record AddSector(string? Code, string? Label, string? Commune = null);

/// <summary>The commune a sector lies in.</summary>
public sealed record SetSectorCommune(string? Commune);

public static class AddSectorEndpoint
{
    [WolverinePost("/api/councils/{council}/sectors", Summary = "Ajouter un secteur (coordonnateur)"), Tags("Conseil")]
    public static CouncilView Post(AddSector command, CouncilRequest request) => AddSectorUseCase.Handle(request, command);

    [WolverinePut("/api/councils/{council}/sectors/{code}/commune", Summary = "Indiquer la commune d'un secteur (coordonnateur)"), Tags("Conseil")]
    public static CouncilView PutCommune(string code, SetSectorCommune command, CouncilRequest request) => AddSectorUseCase.SetCommune(request, code, command);
}

public static class AddSectorUseCase
{
    public static CouncilView Handle(CouncilRequest request, AddSector command)
    {
        var actor = request.Actor;
        actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        Check(command, actor.Council).ThrowIfAny();
        var added = Decide(command, actor.Id, request.Now);
        request.Session.Events.Append(Council.StreamId, actor.Council.Version + 1, added);
        var c = actor.Council;
        return new CouncilView(c.Code, c.Name, [.. c.Sectors, added.Sector], c.CharterVersionInForce);
    }

    public const int MaxCommuneLength = 80;

    /// <summary>The commune of a sector: the coordonnateur states it (an intercommunal council has several).</summary>
    public static CouncilView SetCommune(CouncilRequest request, string code, SetSectorCommune command)
    {
        var actor = request.Actor;
        actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        CheckCommune(command.Commune, required: true).ThrowIfAny();
        var set = DecideCommune(actor.Council, code, command.Commune!, actor.Id, request.Now);
        request.Session.Events.Append(Council.StreamId, actor.Council.Version + 1, set);
        var c = actor.Council;
        return new CouncilView(c.Code, c.Name, [.. c.Sectors.Select(s => s.Code == code ? s with { Commune = set.Commune } : s)], c.CharterVersionInForce);
    }

    /// <summary>A commune's name: not blank when given, of reasonable length, no control character.</summary>
    public static ValidationErrors CheckCommune(string? commune, bool required, ValidationErrors? errors = null)
    {
        errors ??= new ValidationErrors();
        if (commune is null) return errors.When(required, "commune", "Le nom de la commune est obligatoire.");
        return errors
            .When(string.IsNullOrWhiteSpace(commune), "commune", "Le nom de la commune ne peut pas être vide.")
            .When(commune.Trim().Length > MaxCommuneLength, "commune", $"Le nom de la commune ne doit pas dépasser {MaxCommuneLength} caractères.")
            .When(commune.Any(char.IsControl), "commune", "Le nom de la commune ne peut contenir de caractère de contrôle.");
    }

    public static SectorCommuneSet DecideCommune(Council council, string code, string commune, Guid actorId, DateTimeOffset now)
    {
        var sector = council.Sectors.FirstOrDefault(s => s.Code == code) ?? throw Problems.NotFound("Secteur introuvable dans ce conseil.");
        if (sector.Commune == commune.Trim()) throw Problems.OutOfOrder("Ce secteur est déjà rattaché à cette commune.");
        return new SectorCommuneSet(code, commune.Trim(), actorId, now);
    }

    /// <summary>A code safe in URLs and not yet used, a label, a commune if given.</summary>
    public static ValidationErrors Check(AddSector command, Council council) => CheckCommune(command.Commune, required: false, new ValidationErrors()
        .RequireText(command.Code, "code", "Le code du secteur", 40)
        .RequireText(command.Label, "label", "Le libellé du secteur", 100)
        .When(command.Code is not null && !Codes.IsValid(command.Code), "code", "Le code ne peut contenir que des minuscules, des chiffres et des tirets.")
        .When(council.HasSector(command.Code), "code", "Ce secteur existe déjà."));

    public static SectorAdded Decide(AddSector command, Guid actorId, DateTimeOffset now) =>
        new(new Sector(command.Code!, command.Label!.Trim(), command.Commune?.Trim()), actorId, now);
}

using CaseExchange.Charter;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Sectors;

public sealed record AddSector(string? Code, string? Label);

public static class AddSectorEndpoint
{
    [WolverinePost("/api/councils/{council}/sectors", Summary = "Ajouter un secteur (coordonnateur)"), Tags("Conseil")]
    public static CouncilView Post(AddSector command, CouncilRequest request) => AddSectorUseCase.Handle(request, command);
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

    /// <summary>A code safe in URLs and not yet used, a label.</summary>
    public static ValidationErrors Check(AddSector command, Council council) => new ValidationErrors()
        .RequireText(command.Code, "code", "Le code du secteur", 40)
        .RequireText(command.Label, "label", "Le libellé du secteur", 100)
        .When(command.Code is not null && !Codes.IsValid(command.Code), "code", "Le code ne peut contenir que des minuscules, des chiffres et des tirets.")
        .When(council.HasSector(command.Code), "code", "Ce secteur existe déjà.");

    public static SectorAdded Decide(AddSector command, Guid actorId, DateTimeOffset now) =>
        new(new Sector(command.Code!, command.Label!.Trim()), actorId, now);
}

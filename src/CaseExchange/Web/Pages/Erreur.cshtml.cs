using CaseExchange.Http;
using System.Diagnostics;
using CaseExchange.Charter;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseExchange.Web.Pages;

/// <summary>
/// Every refusal or error a person meets, in French: what happened, the charter's rule when it is a refusal, and
/// what to do next. Never a stack trace, a value typed in a form or a message from a lower layer.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErreurModel : PageModel
{
    private const string ForbiddenPrefix = "urn:caseexchange:problem:forbidden:";

    public int Status { get; private set; }
    public string Title { get; private set; } = "";
    public string Detail { get; private set; } = "";
    public string? Refusal { get; private set; }
    public IReadOnlyList<string> FieldErrors { get; private set; } = [];
    public string? Council { get; private set; }
    public string? RetryPath { get; private set; }
    public string? TraceId { get; private set; }

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        Status = Response.StatusCode >= 400 ? Response.StatusCode : code is >= 400 and < 600 ? code.Value : 404;
        Response.StatusCode = Status;
        var problem = ErrorPages.Recall(HttpContext);
        var originalPath = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
                           ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
        Council = CouncilOf(originalPath);
        if (Status == StatusCodes.Status409Conflict && originalPath is not null)
            RetryPath = originalPath + HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalQueryString;

        (Title, Detail) = Status switch
        {
            400 => ("La demande n'a pas pu être traitée",
                "Le formulaire envoyé n'est pas valide ou a expiré. Revenez à la page précédente, rechargez-la et recommencez : rien n'a été enregistré."),
            403 => ("Accès refusé", "Vous n'avez pas accès à cette page."),
            404 => ("Page introuvable", "L'adresse demandée ne correspond à aucune page. Vérifiez-la ou repartez de l'accueil."),
            405 => ("Action non disponible", "Cette action n'est pas possible à cette adresse."),
            409 => ("Modifiée entre-temps", ConflictDetail),
            410 => ("Données effacées", "Les données nominatives demandées ont été effacées conformément à la charte."),
            503 => ("Service momentanément indisponible", "Le service ne peut pas répondre pour l'instant. Réessayez dans quelques minutes ; si le problème persiste, prévenez l'administrateur."),
            _ => ("Erreur interne du service", "Une erreur inattendue s'est produite. Rechargez la page pour vérifier si votre action a été prise en compte avant de la recommencer ; si l'erreur se reproduit, communiquez l'identifiant ci-dessous à l'administrateur."),
        };
        if (problem is not null)
        {
            // A stale version keeps the page's own title; an action refused in the current state says so.
            if (!string.IsNullOrWhiteSpace(problem.Title) && (Status != 409 || problem.Type == Http.ProblemTypes.OutOfOrder)) Title = problem.Title;
            if (!string.IsNullOrWhiteSpace(problem.Detail)) Detail = problem.Detail;
            if (problem.Type?.StartsWith(ForbiddenPrefix, StringComparison.Ordinal) == true) Refusal = problem.Type[ForbiddenPrefix.Length..];
            if (problem is HttpValidationProblemDetails validation) FieldErrors = [.. validation.Errors.SelectMany(e => e.Value)];
        }
        if (Status >= 500) TraceId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
    }

    private const string ConflictDetail =
        "Quelqu'un a modifié cet élément pendant que vous travailliez. Rechargez la page pour voir sa version actuelle, puis recommencez : rien n'a été enregistré.";

    /// <summary>The charter's rule behind a refusal, in a sentence a member can act on.</summary>
    public string? RuleOf(string refusal) => refusal switch
    {
        Refusals.CharterNotSigned => "Charte, article 11 : aucun accès aux données nominatives n'est ouvert avant la signature, par le membre, " +
                                     "de la version de la charte en vigueur. Toute nouvelle version requiert une nouvelle signature.",
        Refusals.NoCharterInForce => "Charte, article 11 : les échanges nominatifs ne s'ouvrent qu'une fois une version de la charte en vigueur et signée.",
        Refusals.NotInHoldingGroup => "Charte, article 7 : seuls les membres du groupe qui détient la situation, signataires de la charte en vigueur " +
                                      "et dont l'appartenance au groupe est active, accèdent à ses données nominatives. Les autres n'en ont que la vue anonymisée.",
        Refusals.NotACouncilMember => "Seuls les membres actifs du conseil, inscrits par le coordonnateur, accèdent à ses pages ; l'accès cesse à la fin des fonctions (charte, article 16).",
        Refusals.RoleNotAllowed => "Charte, article 20 : chaque rôle (membre, animateur, référent, coordonnateur, auditeur, président) n'a que les droits " +
                                   "que la charte lui donne.",
        Refusals.ArchiveReasonRequired => "Une situation clôturée est archivée : sa consultation n'est possible que pour l'un des motifs prévus par la charte, " +
                                          "justifié par écrit.",
        Refusals.NotTheReferent => "Règlement intérieur, article 13 : le suivi d'une situation est enregistré par le référent que le groupe a désigné.",
        Refusals.NominativeDataErased => "Charte, titre VII : à l'expiration de la durée de conservation, les données nominatives sont détruites ; " +
                                         "seule la vue anonymisée subsiste.",
        _ => null,
    };

    private static string? CouncilOf(string? path)
    {
        var segments = path?.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments is ["c", var council, ..] && Councils.Codes.IsValid(council) ? council : null;
    }
}

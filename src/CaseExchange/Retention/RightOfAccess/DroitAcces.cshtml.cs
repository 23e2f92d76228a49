using System.Text;
using CaseExchange.Charter;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Retention.RightOfAccess;

/// <summary>NOMINATIVE, IN CLEAR: the identity of the person exercising their right of access, as checked on a document.</summary>
public sealed class AccessRequestForm
{
    public string? Nom { get; set; }
    public string? Prenom { get; set; }
    public DateOnly? DateNaissance { get; set; }

    public AccessRequestInClear ToCommand() => new(Nom, Prenom, DateNaissance);

    public override string ToString() => "[demande d'accès nominative]";
}

/// <summary>
/// The right of access (RGPD art. 15) in the browser: the coordonnateur searches for the person exactly as the API does
/// (name, first name, birth date through the identity index), then gets the document to hand over, on screen (printable)
/// or as an HTML file. Each answer goes through the same use case, which journals each situation exported first.
/// </summary>
public sealed class DroitAccesModel(RightOfAccessServices services) : CouncilPageModel
{
    [BindProperty] public AccessRequestForm Input { get; set; } = new();

    /// <summary>NOMINATIVE, IN CLEAR: set only in the response to an accepted request.</summary>
    public RightOfAccessDocument? Document { get; private set; }

    public void OnGet() => RequireEntitled();

    public async Task<IActionResult> OnPostAsync()
    {
        // No early refusal here: the use case judges the caller and journals a refusal, as for the API.
        return await SubmitAsync(
            () => AnswerAccessRequestUseCase.HandleAsync(CouncilRequest, Input.ToCommand(), services),
            document =>
            {
                Document = document;
                return Page();
            },
            () => Task.CompletedTask);
    }

    /// <summary>The same document as the API's printable HTML file, to keep or send.</summary>
    public async Task<IActionResult> OnPostTelechargerAsync() =>
        await SubmitAsync(
            () => AnswerAccessRequestUseCase.HandleAsync(CouncilRequest, Input.ToCommand(), services),
            document => File(Encoding.UTF8.GetBytes(RightOfAccessHtml.Render(document)), "text/html; charset=utf-8",
                $"droit-acces-{document.ProducedAt:yyyy-MM-dd}.html"),
            () => Task.CompletedTask);

    private void RequireEntitled() => Actor.Require(AccessRules.AnswerAccessRequest(Policy, Actor.Member, Actor.Council));
}

using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace CaseExchange.Web.TagHelpers;

/// <summary>Ids that tie a field, its error message and the error summary's link together.</summary>
public static class FieldIds
{
    public static string Of(string fullName) => TagBuilder.CreateSanitizedId(fullName, "_");

    public static string ErrorOf(string fullName) => Of(fullName) + "-erreur";
}

/// <summary>
/// <c>&lt;field-error for="Input.Nom" /&gt;</c>: the field's French error messages, with the id its input points to
/// (aria-describedby), or nothing when the field is valid.
/// </summary>
[HtmlTargetElement("field-error", TagStructure = TagStructure.WithoutEndTag)]
public sealed class FieldErrorTagHelper : TagHelper
{
    [HtmlAttributeName("for")] public string For { get; set; } = "";

    [ViewContext, HtmlAttributeNotBound] public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var state = ViewContext.ViewData.ModelState;
        if (!state.TryGetValue(For, out var entry) || entry.Errors.Count == 0)
        {
            output.SuppressOutput();
            return;
        }
        output.TagName = "p";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("id", FieldIds.ErrorOf(For));
        output.Attributes.SetAttribute("class", "field-error");
        var messages = string.Join(" ", entry.Errors.Select(e => HtmlEncoder.Default.Encode(e.ErrorMessage)));
        output.Content.SetHtmlContent($"<span class=\"visually-hidden\">Erreur : </span>{messages}");
    }
}

/// <summary>
/// Marks an invalid input, select or textarea (bound with asp-for) with aria-invalid and points it to its error
/// message, so that a screen reader announces the error with the field.
/// </summary>
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
public sealed class InvalidFieldTagHelper : TagHelper
{
    [HtmlAttributeName("asp-for")] public ModelExpression For { get; set; } = null!;

    [ViewContext, HtmlAttributeNotBound] public ViewContext ViewContext { get; set; } = null!;

    // After the framework's tag helpers, which set id and name.
    public override int Order => 100;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name);
        if (!ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) || entry.Errors.Count == 0) return;
        output.Attributes.SetAttribute("aria-invalid", "true");
        var describedBy = output.Attributes.TryGetAttribute("aria-describedby", out var existing) ? $"{existing.Value} " : "";
        output.Attributes.SetAttribute("aria-describedby", describedBy + FieldIds.ErrorOf(name));
    }
}

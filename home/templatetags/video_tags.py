from django import template

from home.embeds import Video, video_for

register = template.Library()


@register.inclusion_tag("home/includes/video_placeholder.html")
def video_placeholder(url, title=""):
    """The click-to-load placeholder for a video (a `home.embeds.Video`, an `EmbedValue` or
    an address); nothing for an address the site cannot embed (home/embeds.py)."""
    video = url if isinstance(url, Video) else video_for(getattr(url, "url", url))
    return {"video": video, "title": title}

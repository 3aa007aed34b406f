# Varnish in front of gunicorn (`make proxy`, config/varnish/run). It keeps what the app
# marks shareable (`Cache-Control: public, s-maxage` on anonymous page views, whitenoise's
# static files) and nothing else; Wagtail's frontend cache (`FRONTEND_CACHE_BACKEND=http`,
# `FRONTEND_CACHE_LOCATION` = this proxy) sends a PURGE for every page on any change.
vcl 4.1;

import std;

# Written by config/varnish/run: `backend default { .host = …; .port = …; }`.
include "backend.vcl";

# Who may purge: the app servers. Add their addresses when they run on other machines.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Signed-in editors, visitors with a session or a pending message, and the admin are
    # personal: straight through to the app.
    if (req.url ~ "^/admin" || req.http.Authorization ||
        req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Tracking parameters do not change a page; one entry serves them all.
    set req.url = std.querysort(regsuball(req.url, "([?&])(utm_[a-z]+|fbclid|gclid)=[^&]*", "\1"));
    set req.url = regsub(req.url, "[?&]+$", "");
    # Anything else (at most the CSRF cookie) is looked up in the cache. The cookie still
    # reaches the app on a miss, so a form page keeps the visitor's CSRF secret; the app
    # marks such pages `private, no-store`, and only shareable pages are kept.
    return (hash);
}

sub vcl_hash {
    # One site: the address is the path. Purges then match whichever host name the app's
    # Site record holds.
    hash_data(req.url);
    return (lookup);
}

sub vcl_backend_response {
    if (beresp.http.Cache-Control !~ "(public|s-maxage)" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Proxy-Cache = "hit";
    } else {
        set resp.http.X-Proxy-Cache = "miss";
    }
}

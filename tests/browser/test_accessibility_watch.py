"""Every page a browser test shows is checked by axe-core, as it loads and as the test leaves it."""
BROKEN = "<!doctype html><html lang='en'><title>t</title><main><button></button></main></html>"


def test_a_page_that_loads_with_a_problem_is_reported(browser, open_context, accessibility_watch, live_server):
    context = open_context(browser)
    context.route("**/broken-page", lambda route: route.fulfill(body=BROKEN, content_type="text/html"))
    page = context.new_page()
    page.goto("/broken-page")
    page.wait_for_function("() => window.__axeReported === true")
    assert [p for p in accessibility_watch.found if p.startswith("/broken-page: button-name")]
    page.close()  # seen: the test itself must not fail for it
    accessibility_watch.found.clear()


def test_a_problem_made_after_loading_is_found_in_the_last_state(browser, open_context, accessibility_watch):
    context = open_context(browser)
    page = context.new_page()
    page.goto("/login")
    page.wait_for_function("() => window.__axeReported === true")
    assert accessibility_watch.found == {}  # the sign-in page itself is clean
    page.evaluate("document.querySelector('main').append(document.createElement('button'))")
    accessibility_watch.check_last_state(context)
    assert [p for p in accessibility_watch.found if p.startswith("/login: button-name")]
    page.close()
    accessibility_watch.found.clear()

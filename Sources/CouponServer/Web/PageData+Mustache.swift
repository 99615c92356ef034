import Mustache

// The hot pages' data answer Mustache's lookups themselves (`MustacheParent`) instead of
// through `Mirror`, which swift-mustache falls back to and which reflects every field of
// a struct, demangling its type, on each `{{name}}`: the product page rendered 1,250 times
// a second that way on 2 cores, a fifth of its JSON route (tools/load).

extension WebTerminal.Chrome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "shop": shop
        case "signedIn": signedIn
        case "csrf": csrf
        default: nil
        }
    }
}

extension WebTerminal.ProductCard: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "description": description
        case "price": price
        case "sku": sku
        case "couponTitle": couponTitle
        case "selected": selected
        default: nil
        }
    }
}

extension WebTerminal.CataloguePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "products": products
        default: nil
        }
    }
}

extension WebTerminal.ProductPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "product": product
        case "hasCoupon": hasCoupon
        case "couponWidth": couponWidth
        case "couponHeight": couponHeight
        case "idempotencyKey": idempotencyKey
        case "quantity": quantity
        case "choice": choice
        case "errors": errors
        default: nil
        }
    }
}

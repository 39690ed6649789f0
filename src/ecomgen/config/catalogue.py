"""The default catalogue: categories, segments, ages, devices, payments, merchant types and
the sales calendar (the specification's config and calibrated extras)."""

from __future__ import annotations

from typing import Any

from ecomgen.config.sections import (
    AgeGroup,
    Category,
    Device,
    Gender,
    MerchantType,
    PaymentMethod,
    SaleEvent,
    Segment,
    SessionType,
    Subcategory,
    Variant,
)

# Demand by month, January..December: summer appliances (Home, April-May), monsoon groceries
# (July-August), festive and winter wear (Fashion, October-December), school terms (Books,
# June-July), New Year fitness and the cricket season (Sports), year-end gifts (Toys).
SEASONS: dict[str, list[float]] = {
    "Electronics": [1.0, 0.95, 0.95, 1.0, 1.05, 1.0, 0.95, 0.95, 1.0, 1.1, 1.05, 1.0],
    "Fashion": [1.05, 0.95, 0.95, 0.9, 0.9, 0.95, 0.9, 0.95, 1.0, 1.15, 1.15, 1.15],
    "Home": [0.9, 0.95, 1.05, 1.2, 1.25, 1.05, 0.9, 0.9, 0.95, 1.05, 1.0, 0.95],
    "Beauty": [1.05, 1.05, 1.0, 0.95, 0.95, 0.95, 0.95, 1.0, 1.0, 1.05, 1.05, 1.05],
    "Grocery": [1.0, 1.0, 1.0, 0.95, 0.95, 1.05, 1.15, 1.1, 1.05, 1.0, 0.95, 1.0],
    "Books": [1.1, 1.0, 0.95, 0.95, 1.0, 1.15, 1.1, 0.95, 0.95, 0.95, 0.95, 1.0],
    "Sports": [1.15, 1.0, 1.05, 1.15, 1.1, 0.9, 0.85, 0.9, 0.95, 1.0, 0.95, 1.0],
    "Toys": [0.95, 0.95, 0.95, 0.95, 1.0, 1.0, 0.95, 0.95, 1.0, 1.1, 1.05, 1.15],
}


def _sub(share: float, median: float, sigma: float, noun: str, brands: str,
         variants: list[tuple[Any, ...]], brand_price: dict[str, float] | None = None,
         *, model_code: bool = True) -> Subcategory:
    """A default subcategory: ``brands`` comma-separated, variants as (label, factor, weight)
    or (label, factor, weight, "brands that make it, comma-separated")."""
    return Subcategory(share=share, price_median=median, price_sigma=sigma, noun=noun,
                       model_code=model_code, brands=[b.strip() for b in brands.split(",")],
                       brand_price=brand_price or {},
                       variants=[Variant(label=v[0], price_factor=v[1], weight=v[2],
                                         brands=[b.strip() for b in v[3].split(",")]
                                         if len(v) > 3 else [])
                                 for v in variants])


# Provenance: the categories, subcategories, brands, variants and every figure below were
# written for ecomgen (brands sold in India, used only as labels; MRPs near 2024 Indian
# storefront levels); no third-party data set.
def _electronics() -> dict[str, Subcategory]:
    return {
        "Mobiles": _sub(3, 16999, 0.3, "Smartphone", "Samsung, Xiaomi, Realme, Vivo, Oppo, "
                        "OnePlus, Apple",
                        [("4 GB RAM, 64 GB", 0.7, 2), ("6 GB RAM, 128 GB", 0.85, 3),
                         ("8 GB RAM, 128 GB", 1.0, 3), ("8 GB RAM, 256 GB", 1.25, 2),
                         ("12 GB RAM, 256 GB", 1.6, 1)],
                        {"Apple": 4.0, "OnePlus": 1.8, "Samsung": 1.15, "Realme": 0.8,
                         "Xiaomi": 0.85}),
        "Laptops": _sub(1, 62990, 0.25, "Laptop", "HP, Lenovo, Dell, ASUS, Acer, Apple",
                        [("8 GB RAM, 512 GB SSD", 0.8, 3), ("16 GB RAM, 512 GB SSD", 1.0, 3),
                         ("16 GB RAM, 1 TB SSD", 1.3, 2), ("32 GB RAM, 1 TB SSD", 1.9, 1)],
                        {"Apple": 1.8, "Acer": 0.85}),
        "Headphones": _sub(2, 1999, 0.5, "Headphones", "boAt, Noise, JBL, Sony, Samsung, "
                           "OnePlus, Apple",
                           [("Wired", 0.35, 1), ("Wireless Earbuds", 1.0, 4),
                            ("Neckband", 0.7, 2), ("Noise Cancelling", 3.0, 1)],
                           {"Apple": 6.0, "Sony": 2.5, "Samsung": 2.0, "JBL": 1.6}),
        "Televisions": _sub(0.7, 34990, 0.25, "Smart TV", "Samsung, LG, Xiaomi, Sony, TCL, "
                            "OnePlus",
                            [("32-inch", 0.45, 1.5), ("43-inch", 0.85, 3.5), ("55-inch", 1.5, 2),
                             ("65-inch", 2.4, 1)],
                            {"Sony": 1.5, "Samsung": 1.15, "LG": 1.15, "TCL": 0.85}),
        "Smartwatches": _sub(1, 2999, 0.5, "Smartwatch", "Noise, boAt, Fire-Boltt, Samsung, "
                             "Apple", [("Bluetooth Calling", 1.0, 3), ("AMOLED", 1.5, 2)],
                             {"Apple": 12.0, "Samsung": 6.0}),
        "Cameras": _sub(0.3, 49990, 0.45, "Camera", "Canon, Nikon, Sony",
                        [("Body Only", 0.85, 1), ("18-55 mm Kit", 1.0, 2),
                         ("Twin Lens Kit", 1.35, 1)], {"Sony": 1.3}),
        "Tablets": _sub(0.5, 19999, 0.3, "Tablet", "Samsung, Apple, Lenovo, Xiaomi, OnePlus, "
                        "Realme",
                        [("Wi-Fi, 64 GB", 0.85, 2), ("Wi-Fi, 128 GB", 1.0, 2),
                         ("Wi-Fi + Cellular, 128 GB", 1.3, 1)], {"Apple": 2.2}),
        "Accessories": _sub(4, 599, 0.5, "", "Portronics, boAt, Ambrane, Samsung, Xiaomi, "
                            "Apple",
                            [("USB-C Cable", 0.5, 3), ("Fast Charger", 1.2, 2),
                             ("Power Bank 10000 mAh", 2.0, 2,
                              "Ambrane, Portronics, Xiaomi, Samsung"),
                             ("Phone Case", 0.6, 3),
                             ("Screen Guard", 0.4, 2),
                             ("Wireless Mouse", 1.0, 1, "Portronics, Apple")],
                            {"Apple": 3.0, "Samsung": 1.6}),
    }


def _fashion() -> dict[str, Subcategory]:
    return {
        "Men's Clothing": _sub(3, 1299, 0.4, "", "Roadster, Allen Solly, Van Heusen, Levi's, "
                               "HRX, Max",
                               [("Men's T-shirt", 0.55, 3), ("Men's Shirt", 1.0, 3),
                                ("Men's Jeans", 1.5, 2), ("Men's Trousers", 1.3, 1),
                                ("Men's Jacket", 2.5, 1)],
                               {"Levi's": 1.6, "Van Heusen": 1.4, "Allen Solly": 1.3,
                                "Max": 0.7}),
        "Women's Clothing": _sub(3, 1199, 0.4, "", "Libas, W, Biba, Roadster, Fabindia, Max",
                                 [("Women's Kurta", 1.0, 3), ("Women's Top", 0.6, 3),
                                  ("Women's Dress", 1.3, 2), ("Women's Jeans", 1.4, 1),
                                  ("Saree", 1.8, 1)],
                                 {"Fabindia": 1.5, "Biba": 1.2, "Max": 0.7}),
        "Footwear": _sub(2, 1799, 0.4, "", "Bata, Campus, Puma, HRX, Red Tape",
                         [("Sneakers", 1.3, 3), ("Sandals", 0.7, 2),
                          ("Formal Shoes", 1.4, 1, "Bata, Red Tape"),
                          ("Flip-flops", 0.3, 2),
                          ("Running Shoes", 1.5, 2, "Puma, Campus, HRX, Red Tape")],
                         {"Puma": 1.8, "Campus": 0.8}),
        "Ethnic Wear": _sub(1.5, 2499, 0.45, "", "Manyavar, Fabindia, Biba, Libas, W",
                            [("Kurta Set", 1.0, 4), ("Sherwani", 4.0, 1),
                             ("Lehenga", 3.0, 1), ("Silk Saree", 1.6, 2)],
                            {"Manyavar": 1.8, "Fabindia": 1.3}),
        "Watches": _sub(0.8, 2995, 0.5, "Watch", "Titan, Fastrack, Casio",
                        [("Analog", 1.0, 3), ("Chronograph", 2.0, 1), ("Digital", 0.6, 1)],
                        {"Titan": 1.5, "Fastrack": 0.7}),
        "Bags": _sub(1, 1499, 0.45, "", "Wildcraft, Skybags, Puma, Fastrack",
                     [("Backpack", 1.0, 3), ("Handbag", 1.2, 2), ("Laptop Bag", 1.1, 1),
                      ("Trolley Bag", 3.0, 1)], {"Wildcraft": 1.2}),
        "Kids' Clothing": _sub(1.2, 699, 0.4, "", "Gini & Jony, Max, Fabindia, HRX",
                               [("Kids' T-shirt", 0.7, 3), ("Frock", 1.1, 2),
                                ("Shorts Set", 1.0, 2), ("Kids' Ethnic Set", 1.6, 1)]),
    }


def _home() -> dict[str, Subcategory]:
    return {
        "Kitchen": _sub(3, 999, 0.45, "", "Prestige, Pigeon, Milton, Cello, Borosil, Solimo",
                        [("Pressure Cooker 3 L", 1.6, 2, "Prestige, Pigeon"),
                         ("Non-stick Tawa", 0.9, 2, "Prestige, Pigeon"),
                         ("Water Bottle Set", 0.5, 2, "Milton, Cello, Borosil"),
                         ("Dinner Set", 2.0, 1, "Cello, Borosil, Solimo"),
                         ("Kitchen Containers", 0.6, 2, "Milton, Cello, Solimo")],
                        {"Prestige": 1.2, "Solimo": 0.7}),
        "Furniture": _sub(1, 8999, 0.45, "", "Wakefit, Godrej Interio, Nilkamal, Solimo",
                          [("Office Chair", 0.8, 3), ("Study Table", 0.9, 2), ("Sofa", 3.0, 1),
                           ("Bed", 2.5, 1), ("Bookshelf", 0.7, 2)], {"Godrej Interio": 1.4}),
        "Decor": _sub(2, 699, 0.45, "", "Solimo, Nilkamal, Bombay Dyeing, Philips",
                      [("Wall Clock", 1.0, 2, "Solimo, Nilkamal"),
                       ("Photo Frame Set", 0.7, 2, "Solimo"),
                       ("Table Lamp", 1.3, 1, "Philips, Solimo"),
                       ("Artificial Plant", 0.8, 1, "Solimo"),
                       ("Curtains, Pair", 1.2, 2, "Bombay Dyeing, Solimo")]),
        "Bedding": _sub(1.5, 1299, 0.4, "", "Wakefit, Sleepwell, Bombay Dyeing, Solimo",
                        [("Double Bedsheet Set", 1.0, 4, "Bombay Dyeing, Solimo, Wakefit"),
                         ("Pillows, Pair", 0.8, 2, "Wakefit, Sleepwell, Solimo"),
                         ("Queen Mattress", 8.0, 1, "Wakefit, Sleepwell"),
                         ("Comforter", 1.8, 1, "Bombay Dyeing, Solimo, Wakefit")]),
        "Appliances": _sub(1.5, 3499, 0.45, "", "Bajaj, Havells, Philips, Prestige, Usha, "
                           "Crompton",
                           [("Mixer Grinder", 1.0, 3, "Bajaj, Philips, Prestige, Usha"),
                            ("Ceiling Fan", 0.8, 2, "Havells, Crompton, Bajaj, Usha"),
                            ("Air Cooler", 2.5, 1, "Bajaj, Crompton, Usha"),
                            ("Induction Cooktop", 0.7, 2, "Prestige, Philips, Bajaj"),
                            ("Water Heater", 2.0, 1, "Havells, Crompton, Bajaj"),
                            ("Dry Iron", 0.3, 2, "Philips, Bajaj, Havells, Usha")],
                           {"Philips": 1.2, "Havells": 1.15}),
        "Storage": _sub(1, 599, 0.4, "", "Cello, Milton, Nilkamal, Solimo",
                        [("Container Set", 0.8, 3), ("Shoe Rack", 2.0, 1),
                         ("Storage Box", 0.6, 2), ("Laundry Basket", 0.8, 1)]),
    }


def _beauty() -> dict[str, Subcategory]:
    return {
        "Skincare": _sub(3, 399, 0.35, "", "Mamaearth, Himalaya, Nivea, The Derma Co, Plum, "
                         "Biotique, L'Oreal",
                         [("Face Wash 100 ml", 0.7, 3), ("Moisturiser 50 ml", 1.0, 2),
                          ("Sunscreen 50 g", 1.1, 2), ("Face Serum 30 ml", 1.5, 2),
                          ("Night Cream 50 g", 1.2, 1)], {"The Derma Co": 1.3, "Nivea": 0.8}),
        "Makeup": _sub(2, 499, 0.35, "", "Lakme, Maybelline, Sugar, L'Oreal",
                       [("Matte Lipstick", 1.0, 3), ("Kajal", 0.5, 2), ("Foundation", 1.4, 1),
                        ("Nail Polish", 0.45, 2), ("Compact Powder", 1.0, 1)],
                       {"L'Oreal": 1.4, "Sugar": 1.2}),
        "Haircare": _sub(2, 349, 0.35, "", "Himalaya, L'Oreal, Mamaearth, Biotique",
                         [("Shampoo 340 ml", 1.0, 3), ("Hair Oil 200 ml", 0.7, 2),
                          ("Conditioner 180 ml", 1.0, 1), ("Hair Serum 100 ml", 1.2, 1)]),
        "Fragrance": _sub(1, 599, 0.5, "", "Fogg, Park Avenue, Nivea, Bombay Shaving Company",
                          [("Deodorant 150 ml", 0.5, 3,
                            "Fogg, Park Avenue, Nivea, Bombay Shaving Company"),
                           ("Perfume 100 ml", 1.6, 2, "Fogg, Park Avenue, Bombay Shaving Company"),
                           ("Body Mist 135 ml", 0.6, 1, "Fogg, Nivea")]),
        "Grooming": _sub(1.5, 449, 0.5, "", "Gillette, Philips, Beardo, Bombay Shaving Company",
                         [("Razor", 0.6, 2, "Gillette, Bombay Shaving Company"),
                          ("Beard Trimmer", 3.0, 2, "Philips, Bombay Shaving Company"),
                          ("Shaving Foam", 0.5, 2, "Gillette, Bombay Shaving Company"),
                          ("Beard Oil", 0.8, 1, "Beardo, Bombay Shaving Company")],
                         {"Philips": 1.3}),
    }


def _grocery() -> dict[str, Subcategory]:
    return {
        "Staples": _sub(3, 199, 0.3, "", "Aashirvaad, Tata, Fortune, MDH, Patanjali",
                        [("Atta 5 kg", 1.4, 2, "Aashirvaad, Fortune, Patanjali"),
                         ("Basmati Rice 1 kg", 0.8, 2, "Fortune, Patanjali"),
                         ("Toor Dal 1 kg", 0.8, 2, "Tata, Fortune"),
                         ("Sunflower Oil 1 L", 0.8, 2, "Fortune, Patanjali"),
                         ("Salt 1 kg", 0.15, 1, "Tata, Aashirvaad"),
                         ("Sugar 1 kg", 0.25, 1, "Patanjali"),
                         ("Garam Masala 100 g", 0.45, 1, "MDH, Tata, Patanjali")],
                        model_code=False),
        "Snacks": _sub(2, 99, 0.35, "", "Britannia, Parle, Haldiram's, Lay's",
                       [("Biscuits 250 g", 0.6, 3, "Britannia, Parle"),
                        ("Namkeen 400 g", 1.0, 2, "Haldiram's"),
                        ("Chips 90 g", 0.4, 2, "Lay's, Haldiram's"),
                        ("Cookies 600 g", 1.6, 1, "Britannia, Parle")], model_code=False),
        "Beverages": _sub(1.5, 199, 0.4, "", "Tata, Nestle, Dabur, Bisleri",
                          [("Tea 500 g", 1.3, 2, "Tata"),
                           ("Instant Coffee 100 g", 1.5, 2, "Nestle, Tata"),
                           ("Fruit Juice 1 L", 0.6, 2, "Dabur"),
                           ("Mineral Water 12 x 1 L", 1.2, 1, "Bisleri")],
                          model_code=False),
        "Dairy": _sub(1.5, 99, 0.35, "", "Amul, Mother Dairy, Nestle, Britannia",
                      [("Toned Milk 1 L", 0.7, 3, "Amul, Mother Dairy, Nestle"),
                       ("Butter 500 g", 2.8, 1, "Amul, Mother Dairy, Britannia"),
                       ("Paneer 200 g", 1.0, 2, "Amul, Mother Dairy"),
                       ("Curd 400 g", 0.6, 2, "Amul, Mother Dairy, Nestle"),
                       ("Cheese Slices 200 g", 1.5, 1, "Amul, Britannia, Mother Dairy")],
                      model_code=False),
        "Personal Care": _sub(1.5, 199, 0.35, "", "Colgate, Dabur, Patanjali, Dettol",
                              [("Toothpaste 150 g", 0.6, 2, "Colgate, Dabur, Patanjali"),
                               ("Soap, Pack of 4", 1.0, 2, "Dettol, Patanjali"),
                               ("Handwash 750 ml", 0.8, 1, "Dettol"),
                               ("Shampoo 650 ml", 2.0, 1, "Dabur, Patanjali")],
                              model_code=False),
        "Household": _sub(1.5, 249, 0.35, "", "Surf Excel, Vim, Harpic, Lizol",
                          [("Detergent Powder 2 kg", 1.2, 2, "Surf Excel"),
                           ("Dishwash Gel 750 ml", 0.7, 2, "Vim"),
                           ("Toilet Cleaner 1 L", 0.75, 1, "Harpic"),
                           ("Floor Cleaner 2 L", 1.5, 1, "Lizol")],
                          model_code=False),
    }


def _books() -> dict[str, Subcategory]:
    bound = [("Paperback", 1.0, 4), ("Hardcover", 1.8, 1)]
    return {
        "Fiction": _sub(2, 299, 0.3, "Novel", "Penguin, HarperCollins, Rupa, Westland, "
                        "Pan Macmillan", bound),
        "Non-fiction": _sub(1.5, 449, 0.35, "Book", "Penguin, HarperCollins, Westland, "
                            "Pan Macmillan", bound),
        "Academic": _sub(1.5, 499, 0.4, "Exam Guide", "Arihant, Pearson", bound),
        "Children": _sub(1, 249, 0.35, "Story Book", "Scholastic, Penguin, HarperCollins",
                         bound),
        "Self-help": _sub(1, 299, 0.3, "Book", "Penguin, HarperCollins, Rupa, Westland",
                          bound),
        "Comics": _sub(0.6, 199, 0.35, "Comic", "Amar Chitra Katha, Scholastic", bound),
    }


def _sports() -> dict[str, Subcategory]:
    return {
        "Fitness": _sub(2, 999, 0.5, "", "Boldfit, Decathlon, Cosco, Nivia",
                        [("Yoga Mat", 0.6, 3), ("Dumbbell Set 10 kg", 1.6, 2),
                         ("Resistance Bands", 0.5, 2), ("Home Gym Bench", 5.0, 1),
                         ("Treadmill", 25.0, 0.3)]),
        "Cricket": _sub(1, 1499, 0.45, "", "SG, SS, Cosco, Nivia",
                        [("Kashmir Willow Bat", 1.0, 2), ("English Willow Bat", 4.0, 1),
                         ("Cricket Balls, Pack of 6", 0.5, 2), ("Batting Gloves", 0.7, 1),
                         ("Kit Bag", 1.3, 1)], {"SS": 1.2}),
        "Cycling": _sub(0.6, 8999, 0.35, "", "Hero, Firefox, Decathlon",
                        [("Bicycle 26T", 1.0, 3), ("Kids' Bicycle 16T", 0.6, 2),
                         ("Geared Bicycle 21S", 1.8, 1), ("Cycling Helmet", 0.15, 1)],
                        {"Firefox": 1.4}),
        "Outdoor": _sub(1, 1999, 0.45, "", "Decathlon, Yonex, Nivia, Cosco",
                        [("Tent, 2 Person", 1.5, 1, "Decathlon"),
                         ("Trekking Backpack 50 L", 1.0, 1, "Decathlon"),
                         ("Badminton Racquet", 0.6, 3, "Yonex, Nivia, Cosco"),
                         ("Football", 0.4, 2, "Nivia, Cosco, Decathlon")],
                        {"Yonex": 1.6}),
        "Sportswear": _sub(1.5, 1199, 0.4, "", "Adidas, Decathlon, Nivia, Boldfit",
                           [("Track Pants", 1.0, 3), ("Training T-shirt", 0.7, 3),
                            ("Running Shoes", 2.5, 2), ("Shorts", 0.6, 2)],
                           {"Adidas": 2.0, "Boldfit": 0.7}),
    }


def _toys() -> dict[str, Subcategory]:
    return {
        "Educational": _sub(1.5, 699, 0.4, "", "Skillmatics, Funskool, Fisher-Price, LEGO",
                            [("Jigsaw Puzzle", 0.7, 2, "Skillmatics, Funskool"),
                             ("STEM Kit", 1.5, 2, "Skillmatics, Funskool"),
                             ("Activity Set", 0.6, 2, "Skillmatics, Fisher-Price, Funskool"),
                             ("Building Set", 3.0, 2, "LEGO")],
                            {"LEGO": 2.5}),
        "Action Figures": _sub(1, 999, 0.4, "", "Hasbro, Mattel, Funskool",
                               [("Action Figure", 1.0, 3), ("Figure Set", 2.0, 1)]),
        "Board Games": _sub(1, 699, 0.35, "", "Funskool, Hasbro, Mattel, Skillmatics",
                            [("Board Game", 1.0, 3), ("Card Game", 0.5, 2),
                             ("Strategy Game", 1.8, 1)]),
        "Soft Toys": _sub(1, 599, 0.4, "", "Mirada, Funskool, Fisher-Price",
                          [("Teddy Bear 30 cm", 1.0, 3), ("Teddy Bear 90 cm", 3.0, 1),
                           ("Plush Animal", 0.8, 2)]),
        "Remote Control": _sub(0.8, 1999, 0.4, "", "Hot Wheels, Mattel, Funskool",
                               [("RC Car", 1.0, 3), ("RC Helicopter", 1.5, 1),
                                ("RC Monster Truck", 1.8, 1),
                                ("Die-cast Car Set", 0.4, 2, "Hot Wheels")],
                               {"Hot Wheels": 1.2}),
    }


def _cats() -> dict[str, Category]:
    c = Category
    return {
        "Electronics": c(sale_depth=0.6, clearance_discount=0.15,
                         extra_transit_days=1,
                         return_rate=0.06, return_window_days=7,
                         return_reasons={"defective": 4.0, "damaged_in_transit": 2.0,
                                         "not_as_described": 2.0, "wrong_item": 1.0,
                                         "changed_mind": 1.0},
                         repeat_affinity=0.1, satiation_days=90,
                         product_share=0.16, traffic_share=0.09, price_median=4499,
                         case_pack=2, at_mrp_share=0.20, mrp_discount=0.12,
                         price_sigma=0.85, price_min=99, max_quantity=2, multi_unit_prob=0.02,
                         stock_multiplier=0.8, subcategories=_electronics(),
                         brands=["Samsung", "Apple", "Xiaomi", "OnePlus", "Realme", "Vivo",
                                 "Oppo", "Lenovo", "HP", "Dell", "ASUS", "Acer", "boAt",
                                 "Sony", "LG", "TCL", "Noise", "Fire-Boltt", "JBL", "Canon",
                                 "Nikon", "Portronics", "Ambrane"],
                         seasonality=SEASONS["Electronics"]),
        "Fashion": c(sale_depth=1.6, clearance_discount=0.4,
                     return_rate=0.3, return_window_days=14,
                     return_reasons={"size_fit": 10.0, "not_as_described": 3.0,
                                     "changed_mind": 3.0, "defective": 1.0, "wrong_item": 1.0,
                                     "damaged_in_transit": 0.5},
                     repeat_affinity=0.2, satiation_days=30,
                     product_share=0.26, traffic_share=0.27, price_median=1299, price_sigma=0.6,
                     case_pack=6, at_mrp_share=0.08, mrp_discount=0.40,
                     price_min=149, max_quantity=3, multi_unit_prob=0.10,
                     subcategories=_fashion(),
                     brands=["Allen Solly", "Biba", "W", "Roadster", "HRX", "Puma", "Bata",
                             "Fabindia", "Levi's", "Van Heusen", "Manyavar", "Libas", "Max",
                             "Campus", "Red Tape", "Titan", "Fastrack", "Casio", "Wildcraft",
                             "Skybags", "Gini & Jony"],
                     seasonality=SEASONS["Fashion"]),
        "Home": c(sale_depth=1.2, clearance_discount=0.25,
                  extra_transit_days=1,
                  return_rate=0.12, return_window_days=10,
                  return_reasons={"defective": 3.0, "damaged_in_transit": 3.0,
                                  "not_as_described": 2.0, "wrong_item": 1.0,
                                  "changed_mind": 1.0},
                  repeat_affinity=0.2, satiation_days=45,
                  product_share=0.14, traffic_share=0.12, price_median=1699, price_sigma=0.8,
                  case_pack=2, at_mrp_share=0.12, mrp_discount=0.30,
                  price_min=99, max_quantity=3, subcategories=_home(),
                  brands=["Prestige", "Pigeon", "Milton", "Cello", "Bajaj", "Havells",
                          "Solimo", "Wakefit", "Borosil", "Philips", "Godrej Interio",
                          "Nilkamal", "Bombay Dyeing", "Sleepwell", "Usha", "Crompton"],
                  seasonality=SEASONS["Home"]),
        "Beauty": c(sale_depth=1.0, clearance_discount=0.2,
                    return_rate=0.06, return_window_days=7,
                    return_reasons={"damaged_in_transit": 2.0, "wrong_item": 2.0,
                                    "not_as_described": 2.0, "changed_mind": 1.0,
                                    "defective": 1.0},
                    repeat_affinity=2.0,
                    product_share=0.10, traffic_share=0.10, price_median=449, price_sigma=0.6,
                    case_pack=6, at_mrp_share=0.30, mrp_discount=0.15,
                    price_min=49, max_quantity=3, multi_unit_prob=0.12,
                    subcategories=_beauty(), replenish_days=21,
                    brands=["Lakme", "Mamaearth", "Himalaya", "Nivea", "Maybelline",
                            "L'Oreal", "Biotique", "The Derma Co", "Plum", "Sugar", "Fogg",
                            "Park Avenue", "Gillette", "Philips", "Beardo",
                            "Bombay Shaving Company"],
                    seasonality=SEASONS["Beauty"]),
        "Grocery": c(sale_depth=0.5, clearance_discount=0.15,
                     return_rate=0.03, return_window_days=2,
                     return_reasons={"damaged_in_transit": 4.0, "wrong_item": 2.0,
                                     "not_as_described": 1.0},
                     repeat_affinity=2.0,
                     product_share=0.14, traffic_share=0.17, price_median=259, price_sigma=0.5,
                     case_pack=12, at_mrp_share=0.70, mrp_discount=0.06,
                     price_min=10, price_max=5000, perishable=True, max_quantity=5,
                     multi_unit_prob=0.25, stock_multiplier=1.5, subcategories=_grocery(),
                     replenish_days=14,
                     brands=["Tata", "Aashirvaad", "Amul", "Britannia", "Parle", "Haldiram's",
                             "Fortune", "MDH", "Nestle", "Dabur", "Patanjali", "Lay's",
                             "Bisleri", "Mother Dairy", "Colgate", "Dettol", "Surf Excel",
                             "Vim", "Harpic", "Lizol"],
                     seasonality=SEASONS["Grocery"]),
        "Books": c(sale_depth=0.8, clearance_discount=0.3,
                   return_rate=0.03, return_window_days=7,
                   return_reasons={"damaged_in_transit": 3.0, "wrong_item": 2.0, "defective": 1.0,
                                   "changed_mind": 1.0},
                   product_share=0.08, traffic_share=0.05, price_median=399, price_sigma=0.45,
                   case_pack=5, at_mrp_share=0.35, mrp_discount=0.18,
                   price_min=79, price_max=5000, max_quantity=2, subcategories=_books(),
                   brands=["Penguin", "HarperCollins", "Rupa", "Scholastic", "Arihant",
                           "Westland", "Pan Macmillan", "Pearson", "Amar Chitra Katha"],
                   seasonality=SEASONS["Books"]),
        "Sports": c(sale_depth=1.2, clearance_discount=0.3,
                    return_rate=0.1, return_window_days=10,
                    return_reasons={"size_fit": 3.0, "defective": 2.0, "damaged_in_transit": 1.0,
                                    "not_as_described": 2.0, "changed_mind": 2.0},
                    repeat_affinity=0.5, satiation_days=60,
                    product_share=0.06, traffic_share=0.05, price_median=1399, price_sigma=0.7,
                    case_pack=3, at_mrp_share=0.10, mrp_discount=0.30,
                    price_min=99, max_quantity=2, subcategories=_sports(),
                    brands=["Nivia", "Cosco", "SG", "SS", "Decathlon", "Adidas", "Yonex",
                            "Boldfit", "Hero", "Firefox"],
                    seasonality=SEASONS["Sports"]),
        "Toys": c(sale_depth=1.1, clearance_discount=0.3,
                  return_rate=0.06, return_window_days=10,
                  return_reasons={"defective": 3.0, "damaged_in_transit": 2.0,
                                  "not_as_described": 2.0, "changed_mind": 1.0,
                                  "wrong_item": 1.0},
                  repeat_affinity=0.6, satiation_days=45,
                  product_share=0.06, traffic_share=0.05, price_median=899, price_sigma=0.6,
                  case_pack=4, at_mrp_share=0.20, mrp_discount=0.25,
                  price_min=99, max_quantity=2, subcategories=_toys(),
                  brands=["Funskool", "Hot Wheels", "LEGO", "Mattel", "Hasbro", "Fisher-Price",
                          "Skillmatics", "Mirada"],
                  seasonality=SEASONS["Toys"]),
    }


def _segments() -> dict[str, Segment]:
    return {
        "price_sensitive": Segment(weight=0.35, price_sensitivity=0.8, cart_abandonment_rate=0.75,
                                   conversion_base=0.015, preferred_categories=["Fashion", "Home"],
                                   activity=1.1),
        "premium": Segment(weight=0.20, price_sensitivity=0.2, cart_abandonment_rate=0.45,
                           conversion_base=0.035,
                           preferred_categories=["Electronics", "Beauty"], activity=0.9),
        "mainstream": Segment(weight=0.30, price_sensitivity=0.5, cart_abandonment_rate=0.65,
                              conversion_base=0.025,
                              preferred_categories=["Electronics", "Fashion", "Grocery"]),
        "impulse": Segment(weight=0.15, price_sensitivity=0.4, cart_abandonment_rate=0.60,
                           conversion_base=0.030,
                           preferred_categories=["Fashion", "Beauty", "Toys"], activity=1.2),
    }


def _ages() -> dict[str, AgeGroup]:
    a = AgeGroup
    return {
        "18-24": a(min_age=18, max_age=24, weight=0.36, tech_affinity=0.9,
                   price_sensitivity_shift=0.15,
                   category_multipliers={"Electronics": 1.3, "Fashion": 1.3, "Books": 1.2,
                                         "Home": 0.6, "Grocery": 0.7}),
        "25-34": a(min_age=25, max_age=34, weight=0.42, tech_affinity=0.8,
                   category_multipliers={"Electronics": 1.2, "Fashion": 1.1, "Home": 1.0}),
        "35-44": a(min_age=35, max_age=44, weight=0.13, tech_affinity=0.6,
                   price_sensitivity_shift=-0.05,
                   category_multipliers={"Home": 1.4, "Grocery": 1.3, "Toys": 1.6}),
        "45-54": a(min_age=45, max_age=54, weight=0.06, tech_affinity=0.4,
                   price_sensitivity_shift=-0.05,
                   category_multipliers={"Home": 1.4, "Grocery": 1.4, "Books": 1.1,
                                         "Fashion": 0.8}),
        "55+": a(min_age=55, max_age=75, weight=0.03, tech_affinity=0.25,
                 category_multipliers={"Grocery": 1.5, "Books": 1.3, "Electronics": 0.7,
                                       "Fashion": 0.7}),
    }


def _genders() -> dict[str, Gender]:
    return {
        "Male": Gender(weight=0.56, category_multipliers={"Electronics": 1.3, "Sports": 1.4,
                                                          "Beauty": 0.5, "Fashion": 0.9}),
        "Female": Gender(weight=0.42, category_multipliers={"Beauty": 1.7, "Fashion": 1.3,
                                                            "Home": 1.2, "Electronics": 0.8}),
        "Other": Gender(weight=0.02),
    }


# Provenance: shares after StatCounter India (tablets < 1 % of web traffic) and the
# app-first traffic reported by Indian marketplaces (70-90 % from app and mobile web).
def _devices() -> dict[str, Device]:
    return {
        "app": Device(weight=0.60, abandonment_shift=0.03, cart_multiplier=1.0,
                      office_hours_factor=0.85, night_factor=1.15),
        "mobile_web": Device(weight=0.23, abandonment_shift=0.09, cart_multiplier=0.85,
                             office_hours_factor=0.9, night_factor=1.1),
        "desktop": Device(weight=0.15, abandonment_shift=-0.08, cart_multiplier=1.15,
                          office_hours_factor=2.2, night_factor=0.35),
        "tablet": Device(weight=0.02, abandonment_shift=0.0, office_hours_factor=0.8,
                         night_factor=0.8),
    }


def _session_types() -> dict[str, SessionType]:
    return {
        "casual_browse": SessionType(weight=0.52, mean_views=3.2, dwell_seconds=35,
                                     cart_multiplier=0.7, same_category=0.3),
        "targeted_search": SessionType(weight=0.30, mean_views=2.6, dwell_seconds=55,
                                       cart_multiplier=1.6, same_category=0.9,
                                       popularity_exponent=0.9),
        "comparison_shopping": SessionType(weight=0.18, mean_views=5.5, dwell_seconds=70,
                                           cart_multiplier=1.0, same_category=0.95,
                                           popularity_exponent=1.2),
    }


def _payments() -> dict[str, PaymentMethod]:
    p = PaymentMethod
    return {
        "cash_on_delivery": p(weight=0.62, max_order_value=50_000, high_value_multiplier=1.2,
                              low_value_multiplier=0.7,
                              tier_multipliers=(0.8, 1.05, 1.3)),
        "upi": p(refund_days=1, weight=0.20, max_order_value=100_000, high_value_multiplier=0.25,
                 low_value_multiplier=2.0,
                 tier_multipliers=(1.25, 0.95, 0.8)),
        "credit_card": p(refund_days=6, weight=0.06, high_value_multiplier=2.5,
                         tier_multipliers=(1.8, 0.8, 0.4)),
        "debit_card": p(refund_days=5, weight=0.05, tier_multipliers=(1.2, 1.0, 0.8)),
        "net_banking": p(refund_days=4, weight=0.03, high_value_multiplier=1.5,
                         tier_multipliers=(1.2, 1.0, 0.8)),
        "wallet": p(refund_days=0.1, weight=0.03, max_order_value=10_000,
                    low_value_multiplier=1.5, tier_multipliers=(1.3, 1.0, 0.7)),
        "emi": p(refund_days=7, weight=0.01, min_order_value=3_000, high_value_multiplier=20.0,
                 tier_multipliers=(1.5, 0.9, 0.6)),
    }


def _merchant_types() -> dict[str, MerchantType]:
    m = MerchantType
    return {
        "brand_store": m(sale_depth=0.8, reprice_days=120, handling_hours=16,
                         weight=0.15, price_factor=1.0, price_spread=0.03, buybox_weight=1.4,
                         initial_cover_days=30, reorder_cover_days=30, reorder_point_days=5,
                         min_stock=6, safety_stock=6, at_mrp_share=0.3, lead_time_shift=-1,
                         catalogue_share=0.12, specialised=True),
        "marketplace_seller": m(sale_depth=1.1, reprice_days=30, handling_hours=26,
                                weight=0.45, price_factor=0.96, price_spread=0.08,
                                buybox_weight=1.0, initial_cover_days=20, reorder_cover_days=20,
                                reorder_point_days=2, min_stock=6, safety_stock=5,
                                catalogue_share=0.08),
        "wholesaler": m(sale_depth=0.9, reprice_days=60, handling_hours=30,
                        weight=0.15, price_factor=0.93, price_spread=0.05, buybox_weight=1.1,
                        initial_cover_days=45, reorder_cover_days=45, reorder_point_days=7,
                        min_stock=12, safety_stock=10, lead_time_shift=2, catalogue_share=0.10,
                        specialised=True),
        "local_retailer": m(sale_depth=0.7, reprice_days=90, handling_hours=12,
                            weight=0.25, price_factor=1.0, price_spread=0.05, buybox_weight=0.8,
                            initial_cover_days=12, reorder_cover_days=12, reorder_point_days=1,
                            min_stock=5, safety_stock=3, lead_time_shift=-1, catalogue_share=0.05,
                            specialised=True),
    }


def _calendar() -> dict[str, SaleEvent]:
    e = SaleEvent
    return {
        "pongal": e(anchor="pongal", days_before=2, days_after=1, traffic_uplift=1.4,
                    states=["Tamil Nadu", "Puducherry"]),
        "republic_day_sale": e(start="01-19", end="01-22", traffic_uplift=1.8, shape="spike",
                               decay=0.8, conversion_uplift=1.2, discount_pct=0.15,
                               discount_spread=0.25,
                               category_uplift={"Electronics": 1.3}),
        "holi": e(anchor="holi", days_before=5, days_after=-1, traffic_uplift=1.25,
                  shape="build_up", decay=0.85,
                  category_uplift={"Fashion": 1.2, "Beauty": 1.2, "Grocery": 1.2}),
        "eid_al_fitr": e(anchor="eid_al_fitr", days_before=6, days_after=-1,
                         traffic_uplift=1.2, shape="build_up", decay=0.85,
                         category_uplift={"Fashion": 1.3, "Grocery": 1.2}),
        "end_of_season_summer": e(start="06-20", end="06-30", traffic_uplift=1.4,
                                  conversion_uplift=1.1, discount_pct=0.30, discount_spread=0.25,
                                  category_uplift={"Fashion": 1.6}),
        "independence_day_sale": e(start="08-06", end="08-10", traffic_uplift=1.8,
                                   shape="spike", decay=0.8, teaser_days=1,
                                   teaser_uplift=1.15, conversion_uplift=1.2,
                                   discount_pct=0.15, discount_spread=0.25,
                                   category_uplift={"Electronics": 1.3}),
        "raksha_bandhan": e(anchor="raksha_bandhan", days_before=6, days_after=-1,
                            traffic_uplift=1.2, shape="build_up", decay=0.85,
                            category_uplift={"Fashion": 1.2, "Beauty": 1.2, "Grocery": 1.2}),
        "onam": e(anchor="onam", days_before=7, days_after=0, traffic_uplift=1.6,
                  shape="build_up", decay=0.85, states=["Kerala"]),
        "big_billion_days": e(anchor="big_billion_days", traffic_uplift=3.8, shape="spike",
                              decay=0.78, teaser_days=3, teaser_uplift=1.3, dip_days=4,
                              dip=0.85, conversion_uplift=1.35, discount_pct=0.25,
                              discount_spread=0.25,
                              category_uplift={"Electronics": 1.5, "Fashion": 1.2}),
        "durga_puja": e(anchor="dussehra", days_before=5, days_after=0, traffic_uplift=1.5,
                        shape="build_up", decay=0.85,
                        states=["West Bengal", "Assam", "Odisha", "Tripura"]),
        "diwali": e(anchor="diwali", days_before=10, days_after=-1, traffic_uplift=2.6,
                    shape="build_up", decay=0.85, dip_days=2, dip=0.6,
                    conversion_uplift=1.25, discount_pct=0.15, discount_spread=0.25,
                    category_uplift={"Home": 1.5, "Electronics": 1.3, "Grocery": 1.3}),
        "end_of_season_winter": e(start="12-22", end="12-31", traffic_uplift=1.4,
                                  conversion_uplift=1.1, discount_pct=0.30, discount_spread=0.25,
                                  category_uplift={"Fashion": 1.5}),
    }
